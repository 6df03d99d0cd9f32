import { Transform, type TransformCallback } from 'node:stream'

// Quiet streams stay open: a load balancer cuts a connection that has been silent longer than
// its idle timeout, and a model can think for minutes between two chunks. After `intervalMs`
// without a write, an SSE comment line goes out; clients and SDKs ignore comments. It sits after
// the SseRelay, which only passes whole events, so a ping never lands inside an event.

export const PING = ': ping\n\n'

export class Heartbeat extends Transform {
  // One timer per stream, pushed back with refresh() on every write (no allocation per chunk).
  readonly #timer: NodeJS.Timeout

  constructor (intervalMs: number) {
    super()
    this.#timer = setInterval(() => {
      if (!this.writableEnded && !this.destroyed) this.push(PING)
    }, intervalMs)
    // A timer must never keep a closing process alive.
    this.#timer.unref()
  }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#timer.refresh()
    callback(null, chunk)
  }

  override _flush (callback: TransformCallback): void {
    clearInterval(this.#timer)
    callback()
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.#timer)
    callback(err)
  }
}
