import { Transform, type Readable, type TransformCallback } from 'node:stream'
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

export class SseRelay extends Transform {
  readonly #frames = new SseFrameSplitter()
  #failure: { err: unknown } | undefined
  readonly #errorEventFor: ErrorEventFor

  constructor (errorEventFor: ErrorEventFor) {
    super()
    this.#errorEventFor = errorEventFor
  }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const frames = this.#frames.push(chunk)
    callback(null, frames.length <= 1 ? frames[0] : Buffer.concat(frames))
  }

  override _flush (callback: TransformCallback): void {
    if (this.#failure !== undefined) {
      // The held tail is half an event from a dead upstream: drop it, explain instead.
      this.#frames.end()
      callback(null, this.#errorEventFor(this.#failure.err))
      return
    }
    const rest = this.#frames.end()
    callback(null, rest.length === 0 ? undefined : rest)
  }

  /**
   * The upstream body failed after the status and headers were sent: the only way left to tell
   * the client is one final SSE error event (the OpenAI SDKs raise APIError on it), then end.
   */
  fail (err: unknown): void {
    if (this.#failure !== undefined || this.writableEnded || this.destroyed) return
    this.#failure = { err }
    this.end()
  }
}

/**
 * Pipes `upstream` (the provider's SSE body) into a new SseRelay and wires both failure
 * directions: an upstream error becomes the final error event; the relay closing early (client
 * gone; Fastify destroys the reply stream) destroys the upstream body, which makes undici close
 * the provider connection so the provider stops generating.
 */
export function relaySse (upstream: Readable, errorEventFor: ErrorEventFor): SseRelay {
  const relay = new SseRelay(errorEventFor)
  upstream.on('error', (err) => relay.fail(err))
  relay.on('close', () => {
    if (!upstream.readableEnded && !upstream.destroyed) upstream.destroy()
  })
  upstream.pipe(relay)
  return relay
}
