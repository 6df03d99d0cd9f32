import { SwitchyardError } from '@switchyard/errors'
import type { FastifyReply } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { ResolvedKey } from '../auth/resolved-key.js'
import type { GatewayConfig } from '../config.js'

// The request-rate limit of an API key: its numbers, its counter, its refusal and its headers,
// shared by the two places that count requests: the quota's admission script on metered routes
// (one Redis call for the request rate and the token buckets, docs/adr/0029) and
// @fastify/rate-limit on the other client routes.

export interface RequestRate {
  /** Requests allowed per window. */
  max: number
  windowMs: number
}

/** The key's effective requests per minute (plan ← user ← key), else RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS. */
export function requestRateOf (key: ResolvedKey, config: Pick<GatewayConfig, 'RATE_LIMIT_MAX' | 'RATE_LIMIT_WINDOW_MS'>): RequestRate {
  const perMinute = key.limits.requestsPerMinute
  return perMinute === null ? { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS } : { max: perMinute, windowMs: 60_000 }
}

/** The counter's name, hash-tagged with the user like the token buckets (one Redis Cluster slot). */
export function requestCounterName (key: Pick<ResolvedKey, 'id' | 'userId'>): string {
  return `{u:${key.userId}}:${key.id}`
}

/** 429 RATE_LIMIT_EXCEEDED, with Retry-After and the request headers at zero remaining. */
export function rateLimitExceeded (rate: RequestRate, ttlMs: number): SwitchyardError {
  const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000))
  return new SwitchyardError('RATE_LIMIT_EXCEEDED', {
    details: { limit: rate.max, window: `${Math.round(rate.windowMs / 1000)} s`, retryAfterSeconds },
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit-requests': String(rate.max),
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${retryAfterSeconds}s`
    }
  })
}

/** OpenAI's request-rate headers on an admitted request. */
export function setRequestRateHeaders (reply: FastifyReply, rate: RequestRate, current: number, ttlMs: number): void {
  reply.header('x-ratelimit-limit-requests', rate.max)
  reply.header('x-ratelimit-remaining-requests', Math.max(0, rate.max - current))
  reply.header('x-ratelimit-reset-requests', `${Math.ceil(ttlMs / 1000)}s`)
}

/**
 * Keys found over their request limit, until their window ends: their next requests are refused
 * on arrival, before the body is read and without a Redis call, so a client hammering past its
 * limit costs little. Remembered with the limit that refused them: a limit changed meanwhile
 * (plan edit) forgets the entry. Per process; another replica learns it from Redis.
 */
export class ThrottledKeys {
  readonly #until = new LRUCache<string, { resetAt: number, rate: RequestRate }>({ max: 10_000 })

  /** Keys remembered (expired ones included until looked up). */
  get size (): number { return this.#until.size }

  remember (keyId: string, rate: RequestRate, ttlMs: number): void {
    this.#until.set(keyId, { resetAt: Date.now() + ttlMs, rate })
  }

  /** The refusal for this key if it is known to be over its limit right now. */
  refusal (keyId: string, rate: RequestRate): SwitchyardError | undefined {
    const entry = this.#until.get(keyId)
    if (entry === undefined) return undefined
    const left = entry.resetAt - Date.now()
    if (left <= 0 || entry.rate.max !== rate.max || entry.rate.windowMs !== rate.windowMs) {
      this.#until.delete(keyId)
      return undefined
    }
    return rateLimitExceeded(rate, left)
  }
}
