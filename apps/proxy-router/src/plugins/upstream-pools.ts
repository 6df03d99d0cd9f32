// Decorates `upstream`: ONE long-lived keep-alive undici Pool per distinct provider origin,
// created when the app is built and closed in onClose. A new HTTP client per request is what
// exhausted sockets in the systems Switchyard replaces (docs/architecture.md); with a pool, sequential
// completions reuse the same connection. Tests inject their own dispatchers via `dispatcherFor`.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Pool, type Dispatcher } from 'undici'
import type { RouterConfig } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    upstream: UpstreamPools
  }
}

export interface UpstreamPools {
  /** The dispatcher for a provider origin (scheme://host:port) from the routing table. */
  dispatcherFor: (origin: string) => Dispatcher
}

export interface UpstreamPoolsOptions {
  config: RouterConfig
  /** Replaces the pools (tests); the caller owns and closes what it returns. */
  dispatcherFor?: (origin: string) => Dispatcher
}

/**
 * Pool settings come from config (docs/conventions.md, "Outbound HTTP"; undici's own defaults are 300 s):
 * - connect.timeout: TCP/TLS handshake budget;
 * - headersTimeout: time to first byte (a non-streaming completion may think for minutes);
 * - bodyTimeout: max silence between body chunks = the stream idle timeout;
 * - keepAliveTimeout/keepAliveMaxTimeout: an idle socket is dropped before the provider's own
 *   idle timeout can close it under us (undici otherwise trusts the server's Keep-Alive hint up
 *   to 600 s).
 */
export function createProviderPool (origin: string, config: RouterConfig): Pool {
  return new Pool(origin, {
    connections: config.PROVIDER_MAX_CONNECTIONS,
    connect: { timeout: config.PROVIDER_CONNECT_TIMEOUT_MS },
    headersTimeout: config.PROVIDER_HEADERS_TIMEOUT_MS,
    bodyTimeout: config.PROVIDER_BODY_TIMEOUT_MS,
    keepAliveTimeout: config.PROVIDER_KEEP_ALIVE_TIMEOUT_MS,
    keepAliveMaxTimeout: config.PROVIDER_KEEP_ALIVE_TIMEOUT_MS
  })
}

async function upstreamPools (app: FastifyInstance, opts: UpstreamPoolsOptions): Promise<void> {
  if (opts.dispatcherFor !== undefined) {
    app.decorate('upstream', { dispatcherFor: opts.dispatcherFor })
    return
  }
  const pools = new Map<string, Pool>()
  for (const provider of opts.config.routes.providers.values()) {
    if (!pools.has(provider.origin)) pools.set(provider.origin, createProviderPool(provider.origin, opts.config))
  }
  app.decorate('upstream', {
    dispatcherFor: (origin: string) => {
      const pool = pools.get(origin)
      // Origins come from the same routing table the pools were built from; a miss is a bug.
      if (pool === undefined) throw new Error(`no upstream pool for origin ${origin}`)
      return pool
    }
  })
  // Runs after the server stopped accepting and in-flight requests finished (Fastify close
  // order), so close() only waits for nothing and then frees the idle keep-alive sockets.
  app.addHook('onClose', async () => {
    await Promise.all([...pools.values()].map(async (pool) => await pool.close()))
  })
}

export const upstreamPoolsPlugin = fp(upstreamPools, { name: 'upstream-pools', fastify: '5.x' })
