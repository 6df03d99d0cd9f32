import rateLimit from '@fastify/rate-limit'
import { SwitchyardError } from '@switchyard/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { GatewayConfig } from '../config.js'
import { requestCounterName, requestRateOf } from '../quota/request-rate.js'
import { createThrottleStore } from '../quota/request-rate-store.js'

/** OpenAI's header names for the request-rate limit (what SDKs and dashboards read). */
const openAiHeaders = [
  ['x-ratelimit-limit', 'x-ratelimit-limit-requests'],
  ['x-ratelimit-remaining', 'x-ratelimit-remaining-requests'],
  ['x-ratelimit-reset', 'x-ratelimit-reset-requests']
] as const

/**
 * Requests per window per API key (@fastify/rate-limit) on the client routes that are not
 * metered (metered ones count the request in their admission script: quota/plugin.ts), registered
 * inside the authenticated context. The counter is the same for both. The limit is the key's effective requests-per-minute (plan ← user ← key), or
 * RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS when none is set. Counted in Redis when REDIS_URL is
 * set (one script call per request; keys hash-tagged per user for Redis Cluster), per process
 * otherwise or while Redis is down and RATE_LIMIT_FAIL_OPEN=true (docs/adr/0019).
 * Runs on onRequest, after `authenticate` and before the body is read: a throttled client costs
 * no body parsing.
 * @see https://github.com/fastify/fastify-rate-limit#preventing-guessing-of-the-rate-limit-key
 */
export async function registerThrottle (app: FastifyInstance, config: GatewayConfig): Promise<void> {
  const windowMs = (request: FastifyRequest): number => request.apiKey === null ? config.RATE_LIMIT_WINDOW_MS : requestRateOf(request.apiKey, config).windowMs
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: (request) => request.apiKey === null ? config.RATE_LIMIT_MAX : requestRateOf(request.apiKey, config).max,
    timeWindow: windowMs,
    keyGenerator: (request) => request.apiKey === null ? `ip:${request.ip}` : requestCounterName(request.apiKey),
    store: createThrottleStore({
      redis: app.redis,
      prefix: `${config.REDIS_KEY_PREFIX}rl:`,
      failOpen: config.RATE_LIMIT_FAIL_OPEN,
      fallbacks: app.redisFallbacks,
      local: app.localRequestWindows
    }),
    // The store falls back (or fails closed) itself; an error reaching the plugin means fail closed.
    skipOnError: false,
    errorResponseBuilder: (request, ctx) => new SwitchyardError('RATE_LIMIT_EXCEEDED', {
      details: { limit: ctx.max, window: `${Math.round(windowMs(request) / 1000)} s`, retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }
    })
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [from, to] of openAiHeaders) {
      const value = reply.getHeader(from)
      if (value === undefined) continue
      reply.removeHeader(from)
      reply.header(to, from === 'x-ratelimit-reset' ? `${String(value)}s` : value)
    }
    done(null, payload)
  })
}
