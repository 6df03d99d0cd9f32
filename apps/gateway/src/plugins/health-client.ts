// Decorates `healthService`: a small undici Pool to the health service (HEALTH_URL), used only by
// the admin debug routes (/v1/debug/config, /v1/debug/bundle), closed in onClose. Separate from
// the router pool so a slow health service can never hold a socket client traffic needs.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Pool, type Dispatcher } from 'undici'
import type { GatewayConfig } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    healthService: Dispatcher
  }
}

export interface HealthClientOptions {
  config: GatewayConfig
  /** Tests may inject a dispatcher. */
  dispatcher?: Dispatcher
}

async function healthClient (app: FastifyInstance, opts: HealthClientOptions): Promise<void> {
  const pool = opts.dispatcher ?? new Pool(new URL(opts.config.HEALTH_URL).origin, {
    connections: 2,
    connect: { timeout: 1000 },
    keepAliveTimeout: 5000
  })
  app.decorate('healthService', pool)
  app.addHook('onClose', async () => {
    if (opts.dispatcher === undefined) await pool.close()
  })
}

export const healthClientPlugin = fp(healthClient, { name: 'health-client', fastify: '5.x' })
