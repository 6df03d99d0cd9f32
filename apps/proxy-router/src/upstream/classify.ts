import { SwitchyardError, type ErrorDetails } from '@switchyard/errors'
import { ProviderStreamError } from '../providers/stream-error.js'
import type { ProviderErrorInfo } from '../providers/types.js'
import { retryAfterMsOf } from '../routing/retry-policy.js'
import { transportFailureOf } from './transport-failure.js'

// Pure classification of everything that can go wrong calling a provider, onto catalogue codes
// the client can act on (docs/architecture.md: a generic 500 is a bug). The provider's own words go
// to the log via `cause`; clients get them only where they help fix the request (4xx).

export type UpstreamHeaders = Record<string, string | string[] | undefined>

export interface UpstreamErrorResponse {
  /** Provider id from the routing table. */
  provider: string
  status: number
  headers: UpstreamHeaders
  /** What the adapter read from the body (ProviderAdapter.parseError). */
  error: ProviderErrorInfo
  /** Raw body (truncated into the logged cause only). */
  body: string
}

// The last two are Anthropic's wording ("prompt is too long: 208310 tokens > 200000 maximum",
// "input length and `max_tokens` exceed context limit"), also when OpenRouter wraps it.
const contextLengthMessage = /maximum context length|context length exceeded|context_length_exceeded|prompt is too long|exceed context limit/i

const first = (v: string | string[] | undefined): string | undefined => Array.isArray(v) ? v[0] : v

/**
 * Retry-After for the client: the provider's `retry-after` as is (seconds or an HTTP date), else
 * OpenAI's `retry-after-ms` rounded up to whole seconds.
 */
export function retryAfterOf (headers: UpstreamHeaders): string | undefined {
  const seconds = first(headers['retry-after'])?.trim()
  if (seconds !== undefined && seconds !== '') return seconds
  const ms = Number(first(headers['retry-after-ms']))
  if (Number.isFinite(ms) && ms >= 0) return String(Math.ceil(ms / 1000))
  return undefined
}

function causeOf (res: UpstreamErrorResponse): Error {
  const snippet = res.body.length > 1000 ? `${res.body.slice(0, 1000)}…` : res.body
  return new Error(`provider "${res.provider}" answered HTTP ${res.status}: ${snippet}`)
}

const isContextLength = (e: ProviderErrorInfo): boolean =>
  e.code === 'context_length_exceeded' ||
  contextLengthMessage.test(e.message ?? '') ||
  contextLengthMessage.test(e.nested ?? '')

// Anthropic says "monthly spend limit reached" as a 429 rate_limit_error with this error_code.
const isInsufficientQuota = (e: ProviderErrorInfo): boolean =>
  e.code === 'insufficient_quota' || e.type === 'insufficient_quota' || e.code === 'enforced_spend_limit_reached'

/** A non-2xx provider answer → the catalogue error the client receives. */
export function classifyUpstreamResponse (res: UpstreamErrorResponse): SwitchyardError {
  const { provider, status, error } = res
  const details: ErrorDetails = { provider, providerStatus: status }
  if (error.code !== undefined) details['providerCode'] = error.code
  const cause = causeOf(res)

  if (status === 401 || status === 403) {
    return new SwitchyardError('PROVIDER_AUTH_FAILED', { details, cause })
  }
  // 402 Payment Required is how OpenRouter says "out of credits".
  if (status === 402 || (status === 429 && isInsufficientQuota(error))) {
    return new SwitchyardError('PROVIDER_QUOTA_EXCEEDED', { details, cause })
  }
  if (status === 429) {
    const retryAfter = retryAfterOf(res.headers)
    const seconds = Number(retryAfter)
    if (retryAfter !== undefined && Number.isFinite(seconds)) details['retryAfterSeconds'] = seconds
    // Precise (retry-after-ms is finer than the seconds the client header carries): the attempt loop waits this long.
    const ms = retryAfterMsOf(res.headers, Date.now())
    if (ms !== undefined) details['retryAfterMs'] = ms
    return new SwitchyardError('PROVIDER_RATE_LIMITED', {
      details,
      headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
      cause
    })
  }
  // 404/405: the provider has no such model or path. That is the routing table's fault (a model
  // never pulled, a baseUrl without /v1), not the client's request.
  if (status === 404 || status === 405) {
    if (error.message !== undefined) details['providerMessage'] = error.message
    return new SwitchyardError('PROVIDER_MODEL_UNAVAILABLE', { details, cause })
  }
  if (status >= 400 && status < 500) {
    const providerMessage = error.message ?? `HTTP ${status}`
    details['providerMessage'] = providerMessage
    if (isContextLength(error)) {
      return new SwitchyardError('CONTEXT_LENGTH_EXCEEDED', { details, cause })
    }
    return new SwitchyardError('PROVIDER_BAD_REQUEST', { details, cause })
  }
  if (status >= 500) {
    return new SwitchyardError('PROVIDER_UNAVAILABLE', { details, cause })
  }
  // 1xx/3xx: e.g. a baseUrl that redirects (http → https, a web page) is not an API answer.
  return new SwitchyardError('PROVIDER_BAD_RESPONSE', { details, cause })
}

/** A 2xx answer the router could not read (non-JSON, not a completion, not SSE). */
export function classifyUnreadableResponse (provider: string, status: number, cause: unknown): SwitchyardError {
  return new SwitchyardError('PROVIDER_BAD_RESPONSE', { details: { provider, providerStatus: status }, cause })
}

/**
 * A failed call that produced no usable HTTP answer (timeouts, refused or dropped connections).
 * `providerStatus` is given when headers had arrived before the body failed. Anything
 * unrecognised is a bug in the router and stays INTERNAL_ERROR, with the cause logged.
 */
export function classifyTransportError (provider: string, err: unknown, providerStatus?: number): SwitchyardError {
  if (err instanceof ProviderStreamError) return classifyStreamError(provider, err, providerStatus ?? 200)
  const failure = transportFailureOf(err)
  if (failure === undefined) return new SwitchyardError('INTERNAL_ERROR', { cause: err })
  const details: ErrorDetails = { provider, cause: failure.cause }
  if (providerStatus !== undefined) details['providerStatus'] = providerStatus
  if (failure.timeout !== undefined) details['timeout'] = failure.timeout
  return new SwitchyardError(failure.code, { details, cause: err })
}

/**
 * A failure a stream transform found inside a 200 stream (providers/stream-error.ts): an error
 * event is classified as the HTTP answer its type stands for (Anthropic overloaded_error → 529 →
 * PROVIDER_UNAVAILABLE); a stream that broke its protocol is PROVIDER_BAD_RESPONSE.
 */
export function classifyStreamError (provider: string, err: ProviderStreamError, status: number): SwitchyardError {
  const { failure } = err
  if (failure.kind === 'malformed') return classifyUnreadableResponse(provider, status, err)
  return classifyUpstreamResponse({ provider, status: failure.status, headers: {}, error: failure.error, body: failure.body })
}
