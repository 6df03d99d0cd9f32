// Decorates `router`: ONE keep-alive undici Pool to the proxy-router, shared by every request and
// closed in onClose. A new client per request is what exhausted sockets in the systems
// Switchyard replaces (docs/architecture.md).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Pool, type Dispatcher } from 'undici'
import type { GatewayConfig } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    router: Dispatcher
  }
}

export interface RouterClientOptions {
  config: GatewayConfig
  /** Tests may inject a dispatcher (e.g. undici MockAgent). */
  dispatcher?: Dispatcher
}

async function routerClient (app: FastifyInstance, opts: RouterClientOptions): Promise<void> {
  const { config } = opts
  const pool = opts.dispatcher ?? new Pool(new URL(config.ROUTER_URL).origin, {
    connections: config.ROUTER_MAX_CONNECTIONS,
    connect: { timeout: config.ROUTER_CONNECT_TIMEOUT_MS },
    headersTimeout: config.ROUTER_HEADERS_TIMEOUT_MS,
    bodyTimeout: config.ROUTER_BODY_TIMEOUT_MS,
    // Below the router's server keep-alive (65 s) so the gateway never reuses a socket the
    // router is closing; undici also honours the server's Keep-Alive hint.
    keepAliveTimeout: 30_000
  })
  app.decorate('router', pool)
  app.addHook('onClose', async () => {
    if (opts.dispatcher === undefined) await pool.close()
  })
}

export const routerClientPlugin = fp(routerClient, { name: 'router-client', fastify: '5.x' })
