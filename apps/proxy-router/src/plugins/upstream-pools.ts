// Decorates `upstream`: ONE long-lived keep-alive undici Pool per distinct provider origin,
// created when the app is built and closed in onClose. A new HTTP client per request is what
// exhausted sockets in the systems Switchyard replaces (docs/architecture.md); with a pool, sequential
// completions reuse the same connection. Tests inject their own dispatchers via `dispatcherFor`.
// Calls go through a per-deployment view of the pool (`dispatcherForDeployment`): the pool
// composed with the timing interceptor for that provider and model, so latency metrics carry both
// labels without a lookup per call. Depends on the upstream metrics (app.upstreamMetrics).
import { upstreamTimingInterceptor } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Pool, type Dispatcher } from 'undici'
import type { RouterConfig } from '../config.js'
import type { RoutedDeployment } from '../routing/routing-table.js'
import type { PoolFigures } from '../upstream/upstream-metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    upstream: UpstreamPools
  }
}

export interface UpstreamPools {
  /** The dispatcher for a provider origin (scheme://host:port) from the routing table. */
  dispatcherFor: (origin: string) => Dispatcher
  /** The origin's dispatcher, timed by provider and model: what provider calls go through. */
  dispatcherForDeployment: (deployment: RoutedDeployment) => Dispatcher
  /** Each pool's connection figures, read at scrape time (none for injected dispatchers). */
  poolFigures: () => PoolFigures[]
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

/**
 * Composes the timing interceptor onto each (provider, model) once, on first use: a handful of
 * small wrappers over the shared pools, never one per request.
 */
function timedDispatchers (app: FastifyInstance, dispatcherFor: (origin: string) => Dispatcher): (deployment: RoutedDeployment) => Dispatcher {
  const timed = new Map<string, Dispatcher>()
  return (deployment) => {
    const key = `${deployment.provider.id}\u0000${deployment.model}`
    let dispatcher = timed.get(key)
    if (dispatcher === undefined) {
      const interceptor = upstreamTimingInterceptor(app.upstreamMetrics.timings, { provider: deployment.provider.id, model: deployment.model })
      dispatcher = dispatcherFor(deployment.provider.origin).compose(interceptor)
      timed.set(key, dispatcher)
    }
    return dispatcher
  }
}

async function upstreamPools (app: FastifyInstance, opts: UpstreamPoolsOptions): Promise<void> {
  if (opts.dispatcherFor !== undefined) {
    app.decorate('upstream', { dispatcherFor: opts.dispatcherFor, dispatcherForDeployment: timedDispatchers(app, opts.dispatcherFor), poolFigures: () => [] })
    return
  }
  const pools = new Map<string, Pool>()
  const providersOf = new Map<string, string[]>()
  for (const provider of opts.config.routes.providers.values()) {
    if (!pools.has(provider.origin)) pools.set(provider.origin, createProviderPool(provider.origin, opts.config))
    providersOf.set(provider.origin, [...(providersOf.get(provider.origin) ?? []), provider.id])
  }
  const dispatcherFor = (origin: string): Dispatcher => {
    const pool = pools.get(origin)
    // Origins come from the same routing table the pools were built from; a miss is a bug.
    if (pool === undefined) throw new Error(`no upstream pool for origin ${origin}`)
    return pool
  }
  app.decorate('upstream', {
    dispatcherFor,
    dispatcherForDeployment: timedDispatchers(app, dispatcherFor),
    poolFigures: () => [...pools].map(([origin, pool]) => {
      const { connected, free, pending, running } = pool.stats
      // Labelled by provider ids, never by host: the origin stays out of the metrics.
      return { providers: (providersOf.get(origin) ?? []).join('+'), connected, free, pending, running }
    })
  })
  // Runs after the server stopped accepting and in-flight requests finished (Fastify close
  // order), so close() only waits for nothing and then frees the idle keep-alive sockets.
  app.addHook('onClose', async () => {
    await Promise.all([...pools.values()].map(async (pool) => await pool.close()))
  })
}

export const upstreamPoolsPlugin = fp(upstreamPools, { name: 'upstream-pools', fastify: '5.x', decorators: { fastify: ['upstreamMetrics'] } })
