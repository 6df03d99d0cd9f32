// One HTTP call whose answer is wanted whole (a JSON completion, an error body): the bytes are
// collected straight from the dispatcher's handler callbacks. undici's `request()` wraps every
// answer in a Readable (BodyReadable) and reads it back through the stream machinery; for an
// answer that is read whole anyway that is pure overhead, about a fifth of the client's CPU per
// call on a small JSON answer (bench/README.md). Streams keep using `request()`.
import type { Dispatcher } from 'undici'

export interface WholeRequest {
  method: Dispatcher.HttpMethod
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Aborts the call (before or during the answer); the promise then rejects with its reason. */
  signal?: AbortSignal
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

function abortReason (signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError')
}

/**
 * The handler of one call: a class, not a closure set, because it runs on every request of the
 * hot path. It is also the abort listener (`handleEvent`), so nothing is allocated for that.
 */
class WholeBodyHandler implements Dispatcher.DispatchHandler {
  readonly #resolve: (res: WholeResponse) => void
  readonly #reject: (err: Error) => void
  readonly #signal: AbortSignal | undefined
  readonly #onHeaders: WholeRequest['onHeaders']
  #controller: Dispatcher.DispatchController | undefined
  #statusCode = 0
  #headers: Dispatcher.ResponseData['headers'] = {}
  #chunks: Buffer[] = []
  #settled = false

  constructor (resolve: (res: WholeResponse) => void, reject: (err: Error) => void, req: WholeRequest) {
    this.#resolve = resolve
    this.#reject = reject
    this.#signal = req.signal
    this.#onHeaders = req.onHeaders
    req.signal?.addEventListener('abort', this, { once: true })
  }

  /**
   * The signal fired. A call on its way is aborted (undici then reports it through
   * onResponseError). A call still queued for a connection (the pool busy or connecting) is
   * rejected now: undici offers no public way to take it out of the queue, so it is aborted in
   * onRequestStart when its turn comes, never sent.
   */
  handleEvent (): void {
    if (this.#signal === undefined) return
    if (this.#controller === undefined) this.fail(abortReason(this.#signal))
    else this.#controller.abort(abortReason(this.#signal))
  }

  onRequestStart (controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#signal?.aborted === true) controller.abort(abortReason(this.#signal))
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
    this.#signal?.removeEventListener('abort', this)
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
  const { signal } = req
  if (signal?.aborted === true) throw abortReason(signal)
  return await new Promise<WholeResponse>((resolve, reject) => {
    const handler = new WholeBodyHandler(resolve, reject, req)
    try {
      dispatcher.dispatch({ method: req.method, path: req.path, headers: req.headers, body: req.body }, handler)
    } catch (err) {
      handler.fail(err instanceof Error ? err : new Error(String(err)))
    }
  })
}
