import rateLimit from '@fastify/rate-limit'
import { SwitchyardError } from '@switchyard/errors'
import type { FastifyInstance } from 'fastify'
import type { GatewayConfig } from '../config.js'

/**
 * Requests-per-window per API key (@fastify/rate-limit), registered inside the authenticated
 * context on the preHandler hook so the key is known. Redis store when REDIS_URL is set (limits
 * hold across instances), process memory otherwise. Token limits and monthly quotas come later.
 * @see https://github.com/fastify/fastify-rate-limit#preventing-guessing-of-the-rate-limit-key
 */
export async function registerThrottle (app: FastifyInstance, config: GatewayConfig): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (request) => request.apiKey?.id ?? request.ip,
    ...(app.redis === null ? {} : { redis: app.redis }),
    nameSpace: `${config.REDIS_KEY_PREFIX}rl:`,
    skipOnError: config.RATE_LIMIT_FAIL_OPEN,
    errorResponseBuilder: (_request, ctx) => new SwitchyardError('RATE_LIMIT_EXCEEDED', {
      details: { limit: ctx.max, window: ctx.after, retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }
    })
  })
}
