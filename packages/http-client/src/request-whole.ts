// One HTTP call whose answer is wanted whole (a JSON completion, an error body): the bytes are
// collected straight from the dispatcher's handler callbacks. undici's `request()` wraps every
// answer in a Readable (BodyReadable) and reads it back through the stream machinery; for an
// answer that is read whole anyway that is pure overhead, about a fifth of the client's CPU per
// call on a small JSON answer (bench/README.md). Streams use requestStream.
import type { Dispatcher } from 'undici'
import { AbortableHandler, dispatchCall, type CallRequest } from './dispatch-call.js'

export interface WholeRequest extends CallRequest {
  /**
   * Called once the status and headers have arrived, before the body: what they say is known even
   * if the body then fails (the promise rejects, and no response is returned).
   */
  onHeaders?: (statusCode: number, headers: Dispatcher.ResponseData['headers']) => void
}

export interface WholeResponse {
  statusCode: number
  /** Lower-case names, as undici parses them (repeated headers as arrays). */
  headers: Dispatcher.ResponseData['headers']
  body: Buffer
}

const EMPTY = Buffer.alloc(0)

/** The handler of one call: a class, not a closure set, because it runs on every request of the hot path. */
class WholeBodyHandler extends AbortableHandler {
  readonly #resolve: (res: WholeResponse) => void
  readonly #reject: (err: Error) => void
  readonly #onHeaders: WholeRequest['onHeaders']
  #statusCode = 0
  #headers: Dispatcher.ResponseData['headers'] = {}
  #chunks: Buffer[] = []
  #settled = false

  constructor (resolve: (res: WholeResponse) => void, reject: (err: Error) => void, req: WholeRequest) {
    super(req.signal)
    this.#resolve = resolve
    this.#reject = reject
    this.#onHeaders = req.onHeaders
  }

  onResponseStart (_controller: Dispatcher.DispatchController, statusCode: number, headers: Dispatcher.ResponseData['headers']): void {
    // 100 Continue, 103 Early Hints: not the answer (request() skips them too).
    if (statusCode < 200) return
    this.#statusCode = statusCode
    this.#headers = headers
    // A throw here makes undici abort the call and report it through onResponseError.
    this.#onHeaders?.(statusCode, headers)
  }

  onResponseData (_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk)
  }

  onResponseEnd (): void {
    if (this.#settled) return
    const chunks = this.#chunks
    const body = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks)
    this.#finish()
    this.#resolve({ statusCode: this.#statusCode, headers: this.#headers, body })
  }

  onResponseError (_controller: Dispatcher.DispatchController | null | undefined, err: Error): void {
    this.fail(err)
  }

  #finish (): void {
    this.#settled = true
    this.#chunks = []
    this.stopListening()
  }

  /** Rejects once: an error, an abort while queued, or a dispatcher that throws (invalid options). */
  fail (err: Error): void {
    if (this.#settled) return
    this.#finish()
    this.#reject(err)
  }
}

/**
 * Sends one request through `dispatcher` (a Pool, or a Pool composed with interceptors) and
 * resolves with its status, headers and whole body, whatever the status. Rejects with the
 * dispatcher's error (connect failure, reset, headers/body timeout) or with the signal's reason.
 * The connection goes back to the pool as soon as the answer has been read.
 */
export async function requestWhole (dispatcher: Dispatcher, req: WholeRequest): Promise<WholeResponse> {
  return await dispatchCall<WholeResponse>(dispatcher, req, (resolve, reject) => new WholeBodyHandler(resolve, reject, req))
}
