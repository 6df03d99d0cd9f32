// Error bodies as real providers send them, built from the fixtures in ../fixtures/ (verbatim,
// except for the request-dependent parts a real provider fills in: key, model, URL, retry time).
import contextLengthExceeded from '../fixtures/openai-context-length-exceeded.json' with { type: 'json' }
import insufficientQuota from '../fixtures/openai-insufficient-quota.json' with { type: 'json' }
import invalidApiKey from '../fixtures/openai-invalid-api-key.json' with { type: 'json' }
import invalidJson from '../fixtures/openai-invalid-json.json' with { type: 'json' }
import invalidUrl from '../fixtures/openai-invalid-url.json' with { type: 'json' }
import missingApiKey from '../fixtures/openai-missing-api-key.json' with { type: 'json' }
import missingModel from '../fixtures/openai-missing-model.json' with { type: 'json' }
import modelNotFound from '../fixtures/openai-model-not-found.json' with { type: 'json' }
import rateLimit from '../fixtures/openai-rate-limit.json' with { type: 'json' }
import serverError from '../fixtures/openai-server-error.json' with { type: 'json' }
import userNotFound from '../fixtures/openrouter-user-not-found.json' with { type: 'json' }
import type { OpenAIErrorBody } from './wire.js'

/** OpenRouter's error body: no `type`/`param`, and a numeric `code` (the HTTP status). */
export interface OpenRouterErrorBody {
  error: { message: string, code: number }
}

// Fixture objects are module singletons: hand out copies so a caller's edits never leak.
const copy = <T>(body: T): T => structuredClone(body)

const withMessage = (body: OpenAIErrorBody, message: string): OpenAIErrorBody =>
  ({ error: { ...body.error, message } })

/** OpenAI 429 `rate_limit_exceeded`, its "try again in" matching the retry headers sent with it. */
export function rateLimitBody (retryIn: string): OpenAIErrorBody {
  return withMessage(rateLimit, rateLimit.error.message.replace(/try again in [^.]+\./, `try again in ${retryIn}.`))
}

export const insufficientQuotaBody = (): OpenAIErrorBody => copy(insufficientQuota)
export const userNotFoundBody = (): OpenRouterErrorBody => copy(userNotFound)
export const serverErrorBody = (): OpenAIErrorBody => copy(serverError)
export const contextLengthExceededBody = (): OpenAIErrorBody => copy(contextLengthExceeded)
export const invalidJsonBody = (): OpenAIErrorBody => copy(invalidJson)
export const missingApiKeyBody = (): OpenAIErrorBody => copy(missingApiKey)
export const missingModelBody = (): OpenAIErrorBody => copy(missingModel)

/**
 * How OpenAI shows a wrong key back: the first 8 characters, asterisks, the last 4 (short keys:
 * first 2 + asterisks), so the caller can tell which key was used without it being echoed.
 */
export function maskApiKey (key: string): string {
  if (key.length <= 12) return key.slice(0, 2) + '*'.repeat(Math.max(0, key.length - 2))
  return key.slice(0, 8) + '*'.repeat(key.length - 12) + key.slice(-4)
}

/** OpenAI 401 `invalid_api_key` for the key that was presented. */
export function invalidApiKeyBody (presentedKey?: string): OpenAIErrorBody {
  if (presentedKey === undefined) return copy(invalidApiKey)
  return withMessage(invalidApiKey, invalidApiKey.error.message.replace(/provided: [^ ]+\./, `provided: ${maskApiKey(presentedKey)}.`))
}

/** OpenAI 404 `model_not_found`. */
export function modelNotFoundBody (model: string): OpenAIErrorBody {
  return withMessage(modelNotFound, `The model \`${model}\` does not exist or you do not have access to it.`)
}

/** OpenAI 404 for a path it does not serve. */
export function invalidUrlBody (method: string, path: string): OpenAIErrorBody {
  return withMessage(invalidUrl, `Invalid URL (${method} ${path})`)
}

/** Any other `invalid_request_error` (validation). */
export function invalidRequestBody (message: string, param: string | null, code: string | null): OpenAIErrorBody {
  return { error: { message, type: 'invalid_request_error', param, code } }
}

/** The body of a `status` fault that did not bring its own: OpenAI-shaped, naming the status. */
export function genericStatusBody (status: number): OpenAIErrorBody {
  if (status >= 500) return serverErrorBody()
  return invalidRequestBody(`Mock provider fault: HTTP ${status}`, null, null)
}
