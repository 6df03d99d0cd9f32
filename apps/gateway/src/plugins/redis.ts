// Decorates `redis`: an ioredis client when REDIS_URL is set, else null (in-memory throttling,
// single instance only). Tuned to fail fast: a slow Redis must not stall every request.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import type { GatewayConfig } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis | null
  }
}

async function redis (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  const url = opts.config.REDIS_URL
  if (url === undefined) {
    app.log.warn('REDIS_URL is not set: rate limits are kept in process memory (single instance only). Set REDIS_URL for production.')
    app.decorate('redis', null)
    return
  }
  // Fail fast (@fastify/rate-limit's example settings, plus no offline queue): an outage surfaces
  // as an error, handled per RATE_LIMIT_FAIL_OPEN, instead of as slow requests.
  // enableOfflineQueue: false + commandTimeout: while Redis is down, commands fail at once
  // instead of waiting through reconnect cycles (measured 1.5-4 s per request with the queue on).
  const client = new Redis(url, { connectTimeout: 500, commandTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
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
