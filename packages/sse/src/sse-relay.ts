import { Readable } from 'node:stream'
import { SseFrameSplitter } from './frame-splitter.js'

// Relays a provider's SSE stream to the client as it arrives. Bytes pass through unchanged, but
// only in whole events: the tail of an event that has not yet seen its terminating blank line is
// held back until it has. That costs nothing on the happy path (providers write whole events)
// and keeps the stream well formed when the provider dies mid-event, so the final error event
// below is never glued onto half an event.

/**
 * Builds the last event sent when the upstream body fails mid-stream, or undefined to end
 * silently (the client itself went away, nobody is listening).
 */
export type ErrorEventFor = (err: unknown) => string | undefined

/**
 * A Readable, not a Transform: Node's WritableState (every Writable, so every Transform) stores a
 * per-stream closure that V8 allocates in the old generation, where it keeps the stream and the
 * request it serves alive through young-generation collections
 * (docs/adr/0031-no-function-literal-stored-in-a-property.md). The relay reads its upstream
 * itself (relayInto), with the backpressure a pipe would give: upstream pauses when the relay's
 * buffer is full and resumes when its reader asks for more.
 */
export class SseRelay extends Readable {
  readonly #frames = new SseFrameSplitter()
  #failure: { err: unknown } | undefined
  readonly #errorEventFor: ErrorEventFor
  #upstream: Readable | undefined
  #finished = false

  constructor (errorEventFor: ErrorEventFor) {
    super()
    this.#errorEventFor = errorEventFor
  }

  /**
   * One complete event on its way out: the bytes to relay, or undefined to drop it. The identity
   * here; a subclass reads or rewrites events in this one pass over the stream (the gateway's
   * usage tap), instead of splitting the stream into events a second time in a stage of its own.
   */
  protected relayFrame (frame: Buffer): Buffer | undefined {
    return frame
  }

  /** Called once, just before the relay's last bytes: a subclass stops its own output here. */
  protected ending (): void {}

  /** True once the relay has queued its last bytes: nothing more may be pushed. */
  protected get finished (): boolean {
    return this.#finished
  }

  /**
   * Reads `upstream` into the relay, after `held`: bytes already read from it (the router's
   * preamble, held until the first content). relayInto wires the failure directions around it.
   */
  readFrom (upstream: Readable, held?: Buffer): void {
    this.#upstream = upstream
    const onData = (chunk: Buffer): void => {
      const out = this.#relay(this.#frames.push(chunk))
      if (out !== undefined && !this.push(out)) upstream.pause()
    }
    const onEnd = (): void => { this.#finish() }
    if (held !== undefined && held.length > 0) onData(held)
    upstream.on('data', onData)
    upstream.once('end', onEnd)
    // What happened before the relay took over is not emitted again: an upstream that already
    // failed or ended is the relay's last word now.
    if (upstream.errored !== null) this.fail(upstream.errored)
    else if (upstream.readableEnded) this.#finish()
  }

  override _read (): void {
    if (!this.#finished) this.#upstream?.resume()
  }

  #finish (): void {
    if (this.#finished || this.destroyed) return
    this.#finished = true
    this.ending()
    let tail: Buffer | undefined
    if (this.#failure !== undefined) {
      // The held tail is half an event from a dead upstream: drop it, explain instead.
      this.#frames.end()
      const event = this.#errorEventFor(this.#failure.err)
      tail = event === undefined ? undefined : this.relayFrame(Buffer.from(event))
    } else {
      const rest = this.#frames.end()
      tail = rest.length === 0 ? undefined : this.relayFrame(rest)
    }
    if (tail !== undefined) this.push(tail)
    this.push(null)
  }

  #relay (frames: Buffer[]): Buffer | undefined {
    if (frames.length <= 1) return frames[0] === undefined ? undefined : this.relayFrame(frames[0])
    const out: Buffer[] = []
    for (const frame of frames) {
      const relayed = this.relayFrame(frame)
      if (relayed !== undefined) out.push(relayed)
    }
    return out.length <= 1 ? out[0] : Buffer.concat(out)
  }

  /**
   * The upstream body failed after the status and headers were sent: the only way left to tell
   * the client is one final SSE error event (the OpenAI SDKs raise APIError on it), then end.
   */
  fail (err: unknown): void {
    if (this.#failure !== undefined || this.#finished || this.destroyed) return
    this.#failure = { err }
    this.#finish()
  }
}

/**
 * Pipes `upstream` (the provider's SSE body) into a new SseRelay and wires both failure
 * directions: an upstream error becomes the final error event; the relay closing early (client
 * gone; Fastify destroys the reply stream) destroys the upstream body, which makes undici close
 * the provider connection so the provider stops generating.
 */
export function relaySse (upstream: Readable, errorEventFor: ErrorEventFor): SseRelay {
  return relayInto(upstream, new SseRelay(errorEventFor))
}

/**
 * relaySse into a given relay (a subclass that reads the events on their way), after `held`:
 * bytes already read from `upstream` that the client must receive first.
 */
export function relayInto<T extends SseRelay> (upstream: Readable, relay: T, held?: Buffer): T {
  upstream.on('error', (err) => relay.fail(err))
  relay.on('close', () => {
    if (!upstream.readableEnded && !upstream.destroyed) upstream.destroy()
  })
  relay.readFrom(upstream, held)
  return relay
}
