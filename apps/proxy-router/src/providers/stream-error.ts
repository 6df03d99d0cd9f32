import type { ProviderErrorInfo } from './types.js'

// How a stream transform reports a failure it found *inside* a 200 stream. Adapters stay pure
// (they do not classify onto catalogue codes themselves); routing/classify-upstream-error.ts turns
// this into the same catalogue error a non-2xx answer with that status and body would give.

export type ProviderStreamFailure =
  /** The provider sent an error event (e.g. Anthropic `overloaded_error`), read as if it were an HTTP answer. */
  | { kind: 'error-event', status: number, error: ProviderErrorInfo, body: string }
  /** The stream broke its own protocol: unparseable event, or it ended without its final event. */
  | { kind: 'malformed' }

export class ProviderStreamError extends Error {
  override readonly name = 'ProviderStreamError'
  readonly failure: ProviderStreamFailure

  constructor (failure: ProviderStreamFailure, message: string) {
    super(message)
    this.failure = failure
  }
}
