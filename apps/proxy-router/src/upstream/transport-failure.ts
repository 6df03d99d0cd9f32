import type { ErrorCode } from '@switchyard/errors'

// Transport failures of a provider call (undici and socket errors) → catalogue codes and a cause
// class the client may see (details.cause). HTTP answers are classified in classify.ts; this file
// only knows error codes.

/** Which wait ran out, for PROVIDER_TIMEOUT details (tells operators which *_TIMEOUT_MS to look at). */
export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'first_token' | 'total'

/**
 * What kind of transport failure it was: safe for any client (no host, port or address), and
 * enough for an operator to know where to look.
 */
export type TransportCause =
  | 'dns_failure' | 'connection_refused' | 'connection_reset' | 'host_unreachable'
  | 'tls_failure' | 'timeout' | 'bad_framing'

const timeouts: Record<string, TimeoutPhase> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  ETIMEDOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body'
}

/** The provider could not be reached, or hung up on us: transient, worth a retry elsewhere. */
const unavailable: Record<string, TransportCause> = {
  ENOTFOUND: 'dns_failure',
  EAI_AGAIN: 'dns_failure',
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
  EPROTO: 'tls_failure',
  CERT_HAS_EXPIRED: 'tls_failure',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_failure',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_failure',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_failure',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_failure',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_failure'
}

/** The provider answered, but with a body that breaks HTTP framing. */
const malformed = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'HPE_INVALID_CHUNK_SIZE', 'HPE_INVALID_CONSTANT'])

/**
 * Error codes of `err` and what it wraps: undici sets `code` on its errors, Node on socket errors,
 * and with happy-eyeballs connects (autoSelectFamily) the real causes sit in an AggregateError's
 * `errors`.
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
  cause: TransportCause
  timeout?: TimeoutPhase
  /** The low-level code that decided it (kept for the log). */
  reason: string
}

/** Undefined when `err` is not a recognised transport failure (then it is a bug: INTERNAL_ERROR). */
export function transportFailureOf (err: unknown): TransportFailure | undefined {
  for (const reason of errorCodesOf(err)) {
    const phase = timeouts[reason]
    if (phase !== undefined) return { code: 'PROVIDER_TIMEOUT', cause: 'timeout', timeout: phase, reason }
    const cause = unavailable[reason] ?? (reason.startsWith('ERR_TLS_') || reason.startsWith('ERR_SSL_') ? 'tls_failure' : undefined)
    if (cause !== undefined) return { code: 'PROVIDER_UNAVAILABLE', cause, reason }
    if (malformed.has(reason)) return { code: 'PROVIDER_BAD_RESPONSE', cause: 'bad_framing', reason }
  }
  return undefined
}
