import type { Readable } from 'node:stream'
import { SseFrameSplitter } from './frame-splitter.js'
import { ReadThrough } from './read-through.js'

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
 * A ReadThrough (packages/sse/src/read-through.ts): a Readable that reads its upstream itself,
 * with the backpressure a pipe would give, and destroys the upstream when it is destroyed (the
 * client went away), which makes undici close the provider connection so the provider stops
 * generating. What it adds: whole events only, and an upstream failure ends the stream with one
 * error event instead of destroying it.
 */
export class SseRelay extends ReadThrough {
  readonly #frames = new SseFrameSplitter()
  readonly #errorEventFor: ErrorEventFor

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

  protected override convert (chunk: Buffer): Buffer | undefined {
    const frames = this.#frames.push(chunk)
    if (frames.length <= 1) return frames[0] === undefined ? undefined : this.relayFrame(frames[0])
    const out: Buffer[] = []
    for (const frame of frames) {
      const relayed = this.relayFrame(frame)
      if (relayed !== undefined) out.push(relayed)
    }
    return out.length <= 1 ? out[0] : Buffer.concat(out)
  }

  protected override finish (): Buffer | undefined {
    this.ending()
    const rest = this.#frames.end()
    return rest.length === 0 ? undefined : this.relayFrame(rest)
  }

  protected override sourceFailed (err: Error): void {
    this.fail(err)
  }

  /**
   * The upstream body failed after the status and headers were sent: the only way left to tell
   * the client is one final SSE error event (the OpenAI SDKs raise APIError on it), then end.
   */
  fail (err: unknown): void {
    if (this.finished || this.destroyed) return
    this.ending()
    // The held tail is half an event from a dead upstream: drop it, explain instead.
    this.#frames.end()
    const event = this.#errorEventFor(err)
    this.pushLast(event === undefined ? undefined : this.relayFrame(Buffer.from(event)))
  }
}

/** A new SseRelay reading `upstream` (the provider's SSE body). */
export function relaySse (upstream: Readable, errorEventFor: ErrorEventFor): SseRelay {
  return new SseRelay(errorEventFor).readFrom(upstream)
}

/**
 * `relay` (a subclass that reads the events on their way) reading `upstream`, after `held`:
 * bytes already read from `upstream` that the client must receive first.
 */
export function relayInto<T extends SseRelay> (upstream: Readable, relay: T, held?: Buffer): T {
  return relay.readFrom(upstream, held)
}
