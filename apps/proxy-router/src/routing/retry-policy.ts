import type { ErrorCode } from '@switchyard/errors'

// What to do after a failed attempt: retry the same deployment, fall back to the next one, or
// stop. Pure (docs/adr/0013): the attempt loop in upstream/ does the waiting.

export interface RetrySettings {
  /** Attempts per deployment, the first included. */
  maxAttemptsPerDeployment: number
  backoffBaseMs: number
  backoffCapMs: number
  /** A Retry-After longer than this is not waited for on the same deployment: fall back instead. */
  retryAfterCapMs: number
}

/** What the attempt loop knows about one failed attempt. */
export interface FailedAttempt {
  code: ErrorCode
  /** PROVIDER_TIMEOUT only: which wait ran out. */
  timeout?: string
  /** The provider's Retry-After / retry-after-ms, in ms. */
  retryAfterMs?: number
  /** Attempts made on this deployment so far, this one included. */
  attemptsOnDeployment: number
}

export type RetryDecision =
  | { action: 'retry', delayMs: number }
  | { action: 'fallback' }
  /** The request itself is at fault (or the router is): another deployment would fail alike. */
  | { action: 'stop' }

/**
 * What can succeed on a retry of the same deployment: 429, 5xx, refused/reset/DNS, unreadable
 * answers, connect timeouts. Anything not listed here or in `fallbackOnly` stops the loop: 400s
 * and context length (the request is wrong everywhere), the router's own bugs.
 */
const retryable = new Set<ErrorCode>(['PROVIDER_RATE_LIMITED', 'PROVIDER_UNAVAILABLE', 'PROVIDER_BAD_RESPONSE', 'PROVIDER_TIMEOUT'])

/**
 * This deployment will not serve it soon, another may: provider key, billing, missing model, an
 * operation its provider has no API for (embeddings on Anthropic).
 */
const fallbackOnly = new Set<ErrorCode>(['PROVIDER_AUTH_FAILED', 'PROVIDER_QUOTA_EXCEEDED', 'PROVIDER_MODEL_UNAVAILABLE', 'OPERATION_NOT_SUPPORTED'])

/**
 * Timeouts that spent a whole wait on this deployment: trying it again would double that wait,
 * so they go straight to the next deployment. A connect timeout is cheap and often transient.
 */
const slowTimeouts = new Set(['headers', 'first_token', 'body'])

/** Full jitter (AWS "Exponential Backoff and Jitter"): uniform in [0, min(cap, base·2^(n-1))). */
export function backoffMs (attemptsOnDeployment: number, s: RetrySettings, random: () => number): number {
  const ceiling = Math.min(s.backoffCapMs, s.backoffBaseMs * 2 ** Math.max(0, attemptsOnDeployment - 1))
  return Math.floor(random() * ceiling)
}

export function decideRetry (failure: FailedAttempt, s: RetrySettings, random: () => number): RetryDecision {
  if (fallbackOnly.has(failure.code)) return { action: 'fallback' }
  if (!retryable.has(failure.code)) return { action: 'stop' }
  if (failure.code === 'PROVIDER_TIMEOUT' && failure.timeout !== undefined && slowTimeouts.has(failure.timeout)) {
    return { action: 'fallback' }
  }
  if (failure.attemptsOnDeployment >= s.maxAttemptsPerDeployment) return { action: 'fallback' }
  if (failure.code === 'PROVIDER_RATE_LIMITED' && failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs <= s.retryAfterCapMs
      ? { action: 'retry', delayMs: failure.retryAfterMs }
      : { action: 'fallback' }
  }
  return { action: 'retry', delayMs: backoffMs(failure.attemptsOnDeployment, s, random) }
}

/**
 * Retry-After as milliseconds: `retry-after-ms` (OpenAI, Azure) wins, then `retry-after` in
 * seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMsOf (headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const first = (v: string | string[] | undefined): string | undefined => Array.isArray(v) ? v[0] : v
  const ms = Number(first(headers['retry-after-ms']))
  if (first(headers['retry-after-ms']) !== undefined && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms)
  const raw = first(headers['retry-after'])?.trim()
  if (raw === undefined || raw === '') return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
