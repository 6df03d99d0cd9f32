import { catalogue, isErrorCode } from './catalogue.js'
import { SwitchyardError, type ErrorDetails } from './switchyard-error.js'
import type { OpenAIErrorType } from './types.js'

/**
 * OpenAI-compatible error body (so SDKs raise the right exception class) plus what a caller
 * needs to act on it: a stable code, details, and the request id to quote.
 */
export interface ErrorEnvelope {
  error: {
    message: string
    type: OpenAIErrorType
    code: string
    param: string | null
    details?: ErrorDetails
    request_id: string
  }
}

export interface EnvelopeOptions {
  /** The request has a trace (GET /v1/requests/{id}): the message says where to read it. */
  traceable?: boolean
}

/** What a traceable error's message ends with, pointing at the request's trace. */
export function traceHint (requestId: string): string {
  return ` (request ${requestId}: GET /v1/requests/${requestId} shows every attempt)`
}

export function toErrorEnvelope (err: SwitchyardError, requestId: string, opts: EnvelopeOptions = {}): ErrorEnvelope {
  return {
    error: {
      message: opts.traceable === true ? err.message + traceHint(requestId) : err.message,
      type: err.type,
      code: err.code,
      param: typeof err.details?.['param'] === 'string' ? err.details['param'] : null,
      ...(err.details === undefined ? {} : { details: err.details }),
      request_id: requestId
    }
  }
}

/** Headers every error response carries besides the request id. */
export function errorHeaders (err: SwitchyardError): Record<string, string> {
  return { 'x-should-retry': String(err.retryable), ...err.headers }
}

/**
 * Rebuilds a SwitchyardError from an envelope another Switchyard service sent (gateway reading
 * the proxy-router's answer), keeping its code, message, details and status. Returns undefined
 * for anything that is not one of our envelopes.
 */
export function fromErrorEnvelope (status: number, body: unknown): SwitchyardError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined
  const inner = (body as { error: unknown }).error
  if (typeof inner !== 'object' || inner === null) return undefined
  const { code, message, details } = inner as { code?: unknown, message?: unknown, details?: unknown }
  if (!isErrorCode(code)) return undefined
  return new SwitchyardError(code, {
    message: typeof message === 'string' ? message : catalogue[code].message,
    details: typeof details === 'object' && details !== null ? details as ErrorDetails : undefined,
    status
  })
}
