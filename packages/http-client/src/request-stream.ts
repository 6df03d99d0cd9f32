// One HTTP call whose answer is relayed as it arrives (an SSE stream): resolves at the headers
// with the body as a Readable fed straight from the dispatcher's handler callbacks.
import { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { bodyText } from './body-text.js'
import { AbortableHandler, dispatchCall, type CallRequest } from './dispatch-call.js'

export type StreamRequest = CallRequest

export interface StreamResponse {
  statusCode: number
  headers: Dispatcher.ResponseData['headers']
  /** The answer's body as it arrives. Read it to the end or destroy it: the connection is busy until then. */
  body: ResponseBody
}

/** undici's default for a response body (and Node's for file streams). */
const HIGH_WATER_MARK = 64 * 1024

/**
 * A streamed answer's body. Reading pulls from the connection (backpressure pauses the socket);
 * destroying it before its end aborts the call, so a half-read connection is never reused.
 */
export class ResponseBody extends Readable {
  readonly #controller: Dispatcher.DispatchController
  #ended = false

  constructor (controller: Dispatcher.DispatchController) {
    super({ highWaterMark: HIGH_WATER_MARK })
    this.#controller = controller
  }

  override _read (): void {
    this.#controller.resume()
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#ended) this.#controller.abort(err ?? new Error('response body destroyed before its end'))
    if (err === null) {
      callback(null)
      return
    }
    // A failure right after the headers destroys the body before the caller's await resumed:
    // Node would emit 'error' (on the next tick, before promise continuations) with nobody
    // listening yet. One macrotask later the caller has attached its listeners (undici's body
    // does the same). Only errors wait: every stream that ends is destroyed too.
    setImmediate(callback, err)
  }

  /** The rest of the body, decoded as UTF-8 (a leading BOM dropped). */
  async text (): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of this) chunks.push(chunk as Buffer)
    return bodyText(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
  }

  /** Called by the handler: the answer is complete. */
  complete (): void {
    this.#ended = true
    this.push(null)
  }
}

/**
 * The handler of one call. It does what undici's `request()` does for a stream without the
 * closures that `request()` stores per call, which V8 keeps in the old generation
 * (docs/adr/0031-no-function-literal-stored-in-a-property.md).
 */
class StreamHandler extends AbortableHandler {
  readonly #resolve: (res: StreamResponse) => void
  readonly #reject: (err: Error) => void
  #body: ResponseBody | undefined
  #settled = false

  constructor (resolve: (res: StreamResponse) => void, reject: (err: Error) => void, signal: AbortSignal | undefined) {
    super(signal)
    this.#resolve = resolve
    this.#reject = reject
  }

  onResponseStart (controller: Dispatcher.DispatchController, statusCode: number, headers: Dispatcher.ResponseData['headers']): void {
    // 100 Continue, 103 Early Hints: not the answer (request() skips them too).
    if (statusCode < 200 || this.#settled) return
    this.#settled = true
    const body = new ResponseBody(controller)
    this.#body = body
    this.#resolve({ statusCode, headers, body })
  }

  onResponseData (controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#body?.push(chunk) === false) controller.pause()
  }

  onResponseEnd (): void {
    this.stopListening()
    this.#body?.complete()
  }

  onResponseError (_controller: Dispatcher.DispatchController | null | undefined, err: Error): void {
    this.stopListening()
    const body = this.#body
    if (body === undefined) this.fail(err)
    else if (!body.destroyed) body.destroy(err)
  }

  /** Rejects once, before an answer: an error, an abort while queued, or a dispatcher that throws. */
  fail (err: Error): void {
    if (this.#settled) return
    this.#settled = true
    this.stopListening()
    this.#reject(err)
  }
}

/**
 * Sends one request through `dispatcher` (a Pool, or a Pool composed with interceptors) and
 * resolves at the answer's headers, whatever the status, with its body as a stream. Rejects with
 * the dispatcher's error (connect failure, reset, headers timeout) or with the signal's reason.
 * A failure after the headers (a body timeout, a reset, the signal) destroys the body with it.
 */
export async function requestStream (dispatcher: Dispatcher, req: StreamRequest): Promise<StreamResponse> {
  return await dispatchCall<StreamResponse>(dispatcher, req, (resolve, reject) => new StreamHandler(resolve, reject, req.signal))
}
