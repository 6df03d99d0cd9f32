import type { Dispatcher } from 'undici'

// What requestWhole and requestStream share: the abort reason, and sending one call through a
// dispatcher with a handler that settles a promise.

/** The signal's reason when it is an Error, or the DOM AbortError that fetch would throw. */
export function abortReason (signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError')
}

export interface CallRequest {
  method: Dispatcher.HttpMethod
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Aborts the call; the promise, or a body already handed out, fails with its reason. */
  signal?: AbortSignal
}

/**
 * The abort wiring both handlers share. The listener is a plain function made in a local before
 * it is stored, and both halves matter for the garbage collector
 * (docs/adr/0031-no-function-literal-stored-in-a-property.md): an object listener
 * (`handleEvent`) makes Node's EventTarget wrap it in a closure assigned straight to a property,
 * and V8 allocates such a closure in the old generation, where it keeps the whole call reachable
 * through every young-generation collection until the next full one.
 */
export abstract class AbortableHandler implements Dispatcher.DispatchHandler {
  readonly #signal: AbortSignal | undefined
  readonly #onAbort: (() => void) | undefined
  #controller: Dispatcher.DispatchController | undefined

  constructor (signal: AbortSignal | undefined) {
    this.#signal = signal
    if (signal === undefined) {
      this.#onAbort = undefined
    } else {
      const onAbort = (): void => { this.#aborted() }
      this.#onAbort = onAbort
      signal.addEventListener('abort', onAbort, { once: true })
    }
  }

  /**
   * The signal fired. A call on its way is aborted (undici then reports it through
   * onResponseError). A call still queued for a connection (the pool busy or connecting) is
   * rejected now: undici offers no public way to take it out of the queue, so it is aborted in
   * onRequestStart when its turn comes, never sent.
   */
  #aborted (): void {
    if (this.#signal === undefined) return
    if (this.#controller === undefined) this.fail(abortReason(this.#signal))
    else this.#controller.abort(abortReason(this.#signal))
  }

  onRequestStart (controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#signal?.aborted === true) controller.abort(abortReason(this.#signal))
  }

  /** The call is over (answered or failed): the signal no longer concerns it. */
  protected stopListening (): void {
    if (this.#onAbort !== undefined) this.#signal?.removeEventListener('abort', this.#onAbort)
  }

  /** Rejects the call's promise once, if it is not settled yet (before any answer). */
  abstract fail (err: Error): void
}

/**
 * Dispatches `req` with the handler `handlerFor` makes for the call's promise. A signal that has
 * already fired rejects before anything is sent; a dispatcher that throws (invalid options, a
 * closed pool) rejects through the handler.
 */
export async function dispatchCall<T> (dispatcher: Dispatcher, req: CallRequest, handlerFor: (resolve: (value: T) => void, reject: (err: Error) => void) => AbortableHandler): Promise<T> {
  const { signal } = req
  if (signal?.aborted === true) throw abortReason(signal)
  return await new Promise<T>((resolve, reject) => {
    const handler = handlerFor(resolve, reject)
    try {
      dispatcher.dispatch({ method: req.method, path: req.path, headers: req.headers, body: req.body }, handler)
    } catch (err) {
      handler.fail(err instanceof Error ? err : new Error(String(err)))
    }
  })
}
