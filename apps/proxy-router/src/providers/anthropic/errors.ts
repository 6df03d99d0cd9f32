import type { ProviderErrorInfo } from '../types.js'
import type { AnthropicErrorBody, AnthropicErrorObject } from './types.js'

const str = (v: unknown): string | undefined => typeof v === 'string' && v !== '' ? v : undefined

/**
 * The facts of an Anthropic error object. `type` is Anthropic's error type; `code` is the most
 * specific thing it says: `details.error_code` when present (a spend limit), else the type, so the
 * client's `details.providerCode` reads e.g. "overloaded_error".
 */
export function errorInfoOf (error: AnthropicErrorObject | undefined): ProviderErrorInfo {
  if (typeof error !== 'object' || error === null) return {}
  const info: ProviderErrorInfo = {}
  const message = str(error.message)
  const type = str(error.type)
  const code = str(error.details?.error_code) ?? type
  if (message !== undefined) info.message = message
  if (type !== undefined) info.type = type
  if (code !== undefined) info.code = code
  return info
}

/** A non-2xx Anthropic body → what it says; never throws (other shapes give an empty object). */
export function parseAnthropicError (text: string): ProviderErrorInfo {
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null) return {}
    return errorInfoOf((parsed as AnthropicErrorBody).error)
  } catch {
    return {}
  }
}

/**
 * The HTTP status Anthropic documents for each error type. An `error` event inside a 200 stream
 * has no status of its own, so it is classified as the answer it would have been outside one
 * (Anthropic: an overloaded_error in a stream "would normally correspond to an HTTP 529").
 */
const statusOfType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529
}

/** Unknown types count as a provider-side failure (500): retryable, never blamed on the client. */
export function statusOfErrorType (type: string | undefined): number {
  return (type === undefined ? undefined : statusOfType[type]) ?? 500
}
