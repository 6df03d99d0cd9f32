import { Transform, type Readable, type TransformCallback } from 'node:stream'

// Relays a provider's SSE stream to the client as it arrives. Bytes pass through unchanged, but
// only in whole events: the tail of an event that has not yet seen its terminating blank line is
// held back until it has. That costs nothing on the happy path (providers write whole events)
// and keeps the stream well formed when the provider dies mid-event, so the final error event
// below is never glued onto half an event.

/** A single unterminated event larger than this is passed on anyway rather than held in memory. */
const maxHeldBytes = 1024 * 1024

/** Length of the prefix of `buf` made of complete events (ending in a blank line), 0 if none. */
export function completeEventsLength (buf: Buffer): number {
  let end = 0
  const lf = buf.lastIndexOf('\n\n')
  if (lf !== -1) end = lf + 2
  const crlf = buf.lastIndexOf('\r\n\r\n')
  if (crlf !== -1) end = Math.max(end, crlf + 4)
  const cr = buf.lastIndexOf('\r\r')
  if (cr !== -1) end = Math.max(end, cr + 2)
  return end
}

/**
 * Builds the last event sent when the upstream body fails mid-stream, or undefined to end
 * silently (the client itself went away, nobody is listening).
 */
export type ErrorEventFor = (err: unknown) => string | undefined

export class SseRelay extends Transform {
  #held: Buffer = Buffer.alloc(0)
  #failure: { err: unknown } | undefined
  readonly #errorEventFor: ErrorEventFor

  constructor (errorEventFor: ErrorEventFor) {
    super()
    this.#errorEventFor = errorEventFor
  }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const data = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk])
    const end = data.length > maxHeldBytes ? data.length : completeEventsLength(data)
    this.#held = data.subarray(end)
    callback(null, end === 0 ? undefined : data.subarray(0, end))
  }

  override _flush (callback: TransformCallback): void {
    if (this.#failure !== undefined) {
      // The held tail is half an event from a dead upstream: drop it, explain instead.
      callback(null, this.#errorEventFor(this.#failure.err))
      return
    }
    callback(null, this.#held.length === 0 ? undefined : this.#held)
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
