import type { ErrorCode } from '@switchyard/errors'

// Transport failures of a provider call (undici and socket errors) → catalogue codes. HTTP
// answers are classified in routing/classify-upstream-error.ts; this file only knows error codes.

/** Which wait ran out, for PROVIDER_TIMEOUT details (tells operators which *_TIMEOUT_MS to look at). */
export type TimeoutPhase = 'connect' | 'headers' | 'body'

const timeouts: Record<string, TimeoutPhase> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  ETIMEDOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body'
}

/** The provider could not be reached, or hung up on us: transient, worth a retry elsewhere. */
const unavailable = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED'
])

/** The provider answered, but with a body that breaks HTTP framing. */
const malformed = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'HPE_INVALID_CHUNK_SIZE', 'HPE_INVALID_CONSTANT'])

/**
 * Error codes of `err` and what it wraps: undici sets `code` on its errors, Node on socket errors,
 * and with happy-eyeballs connects (Node 20 autoSelectFamily) the real causes sit in an
 * AggregateError's `errors`.
 */
export function errorCodesOf (err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 3) return []
  const codes: string[] = []
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') codes.push(code)
  if (err instanceof AggregateError) for (const inner of err.errors) codes.push(...errorCodesOf(inner, depth + 1))
  codes.push(...errorCodesOf((err as { cause?: unknown }).cause, depth + 1))
  return codes
}

export interface TransportFailure {
  code: Extract<ErrorCode, 'PROVIDER_TIMEOUT' | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_BAD_RESPONSE'>
  timeout?: TimeoutPhase
  /** The low-level code that decided it (kept for the log). */
  reason: string
}

/** Undefined when `err` is not a recognised transport failure (then it is a bug: INTERNAL_ERROR). */
export function transportFailureOf (err: unknown): TransportFailure | undefined {
  for (const reason of errorCodesOf(err)) {
    const phase = timeouts[reason]
    if (phase !== undefined) return { code: 'PROVIDER_TIMEOUT', timeout: phase, reason }
    if (unavailable.has(reason)) return { code: 'PROVIDER_UNAVAILABLE', reason }
    if (malformed.has(reason)) return { code: 'PROVIDER_BAD_RESPONSE', reason }
  }
  return undefined
}
