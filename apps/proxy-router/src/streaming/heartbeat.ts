import { SseRelay, type ErrorEventFor } from '@switchyard/sse'

// Quiet streams stay open: a load balancer cuts a connection that has been silent longer than
// its idle timeout, and a model can think for minutes between two chunks. After `intervalMs`
// without an event, an SSE comment line goes out; clients and SDKs ignore comments. It is the
// stream's SseRelay itself, which only passes whole events, so a ping never lands inside an
// event (one stage instead of a relay and a heartbeat stage after it).

export const PING = ': ping\n\n'

export class HeartbeatRelay extends SseRelay {
  // One timer per stream, pushed back with refresh() on every event (no allocation per chunk).
  readonly #timer: NodeJS.Timeout

  constructor (errorEventFor: ErrorEventFor, intervalMs: number) {
    super(errorEventFor)
    this.#timer = setInterval(() => {
      if (!this.finished && !this.destroyed) this.push(PING)
    }, intervalMs)
    // A timer must never keep a closing process alive.
    this.#timer.unref()
  }

  protected override relayFrame (frame: Buffer): Buffer | undefined {
    this.#timer.refresh()
    return frame
  }

  protected override ending (): void {
    clearInterval(this.#timer)
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.#timer)
    // The base destroys the provider's body: the client left, the provider must stop.
    super._destroy(err, callback)
  }
}
