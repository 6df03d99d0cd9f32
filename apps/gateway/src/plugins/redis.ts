// Decorates `redis`: an ioredis client when REDIS_URL is set, else null (in-memory throttling,
// single instance only). Tuned to fail fast: a slow Redis must not stall every request.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import type { GatewayConfig } from '../config.js'
import { LocalWindows } from '../quota/local-windows.js'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null
    /** Counts requests served by a fallback because Redis failed (see docs/adr/0019). */
    redisFallbacks: RedisFallbacks
    /** Request counters per process: every client route's, without Redis or while it is down (fail open). */
    localRequestWindows: LocalWindows
  }
}

export type FallbackKind = 'rate-limit' | 'quota'

/** After a Redis failure, limits skip Redis for this long, so one request pays at most one timeout. */
const SKIP_AFTER_FAILURE_MS = 1000

/**
 * How often each Redis-backed limit fell back (per-process limiter, durable totals) because
 * Redis failed. Logged as a warning at most every 10 s per kind, with the running count, so an
 * outage is loud in the logs without one line per request. Also a small circuit breaker: after a
 * failure Redis is not asked for a second (a silent Redis would otherwise cost every Redis call
 * of every request its full timeout).
 */
export class RedisFallbacks {
  readonly counts: Record<FallbackKind, number> = { 'rate-limit': 0, quota: 0 }
  readonly #lastWarned: Record<FallbackKind, number> = { 'rate-limit': 0, quota: 0 }
  readonly #log: FastifyInstance['log']
  #skipUntil = 0

  constructor (log: FastifyInstance['log']) { this.#log = log }

  /** False for a moment after a failure: callers go straight to their fallback. */
  available (): boolean {
    return Date.now() >= this.#skipUntil
  }

  /** Records a failed Redis call (`err` from Redis) or a call skipped because Redis just failed. */
  note (kind: FallbackKind, err: unknown, what: string): void {
    this.counts[kind]++
    const now = Date.now()
    if (err !== undefined) this.#skipUntil = now + SKIP_AFTER_FAILURE_MS
    if (now - this.#lastWarned[kind] < 10_000) return
    this.#lastWarned[kind] = now
    this.#log.warn({ err: { message: (err as Error | undefined)?.message ?? 'skipped after a recent failure' }, kind, fallbacks: this.counts[kind] }, `redis unavailable: ${what}`)
  }
}

async function redis (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  const url = opts.config.REDIS_URL
  app.decorate('redisFallbacks', new RedisFallbacks(app.log))
  app.decorate('localRequestWindows', new LocalWindows())
  if (url === undefined) {
    app.log.warn('REDIS_URL is not set: rate limits are kept in process memory (single instance only). Set REDIS_URL for production.')
    app.decorate('redis', null)
    return
  }
  // Fail fast: an outage surfaces as an error, handled per RATE_LIMIT_FAIL_OPEN / QUOTA_FAIL_MODE
  // (docs/adr/0019), instead of as slow requests. enableOfflineQueue: false: while Redis is down
  // (or still connecting), commands fail at once instead of waiting through reconnect cycles
  // (measured 1.5-4 s per request with the queue on); commandTimeout: a Redis that accepts and
  // never answers costs at most REDIS_COMMAND_TIMEOUT_MS per command.
  const timeout = opts.config.REDIS_COMMAND_TIMEOUT_MS
  const client = new Redis(url, { connectTimeout: Math.max(timeout, 500), commandTimeout: timeout, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
  client.on('error', (err) => app.log.warn({ err }, 'redis error'))
  try {
    await client.connect()
  } catch (err) {
    // Boot anyway: Redis may come back, and fail-open/closed is decided per request.
    app.log.error({ err }, 'redis is not reachable at start')
  }
  app.decorate('redis', client)
  app.addHook('onClose', async () => {
    await client.quit().catch(() => client.disconnect())
  })
}

export const redisPlugin = fp(redis, { name: 'redis', fastify: '5.x' })
