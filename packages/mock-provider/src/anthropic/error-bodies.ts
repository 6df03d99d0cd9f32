import type { AnthropicErrorBody, AnthropicErrorType } from './wire.js'

// Anthropic error bodies as its API documents them:
// {"type":"error","error":{"type":…,"message":…},"request_id":"req_…"}, with the messages the API
// really uses where they are public.

export function anthropicErrorBody (type: AnthropicErrorType, message: string, requestId?: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message }, ...(requestId === undefined ? {} : { request_id: requestId }) }
}

export const overloadedBody = (): AnthropicErrorBody => anthropicErrorBody('overloaded_error', 'Overloaded')
export const apiErrorBody = (): AnthropicErrorBody => anthropicErrorBody('api_error', 'Internal server error')
export const missingKeyBody = (): AnthropicErrorBody => anthropicErrorBody('authentication_error', 'x-api-key header is required')
export const invalidKeyBody = (): AnthropicErrorBody => anthropicErrorBody('authentication_error', 'invalid x-api-key')
export const missingVersionBody = (): AnthropicErrorBody => anthropicErrorBody('invalid_request_error', 'anthropic-version: header is required')
export const permissionBody = (): AnthropicErrorBody => anthropicErrorBody('permission_error', 'Your API key does not have permission to use the specified resource.')
export const modelNotFoundBody = (model: string): AnthropicErrorBody => anthropicErrorBody('not_found_error', `model: ${model}`)
export const promptTooLongBody = (tokens = 208310, limit = 200000): AnthropicErrorBody =>
  anthropicErrorBody('invalid_request_error', `prompt is too long: ${tokens} tokens > ${limit} maximum`)
export const requestTooLargeBody = (): AnthropicErrorBody =>
  anthropicErrorBody('request_too_large', 'Request exceeds the maximum allowed number of bytes. The maximum request size is 32 MB for standard API endpoints.')
export const billingBody = (): AnthropicErrorBody =>
  anthropicErrorBody('billing_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.')

export function rateLimitBody (): AnthropicErrorBody {
  return anthropicErrorBody('rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later.')
}

export function spendLimitBody (): AnthropicErrorBody {
  const body = anthropicErrorBody('rate_limit_error', 'You have reached your specified workspace API usage limits.')
  body.error.details = { error_code: 'enforced_spend_limit_reached' }
  return body
}

/** The body of a status fault that brought none, on /v1/messages: the documented type for that status. */
export function genericAnthropicStatusBody (status: number): AnthropicErrorBody {
  if (status === 529) return overloadedBody()
  if (status >= 500) return apiErrorBody()
  const types: Record<number, AnthropicErrorType> = {
    401: 'authentication_error', 402: 'billing_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error'
  }
  return anthropicErrorBody(types[status] ?? 'invalid_request_error', `Mock provider fault: HTTP ${status}`)
}
