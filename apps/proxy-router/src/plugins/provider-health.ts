// Decorates `providerHealth`: the cached provider probes (../probes/provider-probes.ts), real
// traffic counters per provider and recent error groups, for GET /internal/providers. Probes go
// through their own one-connection Pool per provider origin (created here, closed in onClose), so
// however they are asked for, a probe never opens more than one connection per origin and never
// competes with completions for the provider pool's sockets. Depends on nothing else.
import type { SwitchyardError } from '@switchyard/errors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Pool, type Dispatcher } from 'undici'
import type { RouterConfig } from '../config.js'
import { describeFailure } from '../probes/describe-failure.js'
import { ErrorGroups } from '../probes/error-groups.js'
import { probeProvider } from '../probes/probe-provider.js'
import { ProviderProbes } from '../probes/provider-probes.js'
import { TrafficStats } from '../probes/traffic-stats.js'
import type { ProviderTarget } from '../providers/types.js'

declare module 'fastify' {
  interface FastifyInstance {
    providerHealth: ProviderHealth
  }
}

export interface ProviderHealth {
  probes: ProviderProbes
  traffic: TrafficStats
  errorGroups: ErrorGroups
  /** One attempt that served (the attempt loop's success). */
  served: (provider: ProviderTarget) => void
  /** One failed attempt (retries and fallbacks included). */
  failed: (provider: ProviderTarget, err: SwitchyardError) => void
}

export interface ProviderHealthOptions {
  config: RouterConfig
  /** Replaces the probe pools (tests); the caller owns and closes what it returns. */
  probeDispatcherFor?: (origin: string) => Dispatcher
  now?: () => number
}

/** How far back /internal/providers counts traffic (requests, failures, error rate). */
export const TRAFFIC_WINDOW_MS = 5 * 60 * 1000

/**
 * connections: 1 bounds a probe to one socket per origin whatever happens; connect, headers and
 * body timeouts equal the probe timeout, so a silent provider frees it shortly after the probe
 * reported it down. Keep-alive stays short: probes are 30 s apart by default.
 */
function createProbePool (origin: string, timeoutMs: number): Pool {
  return new Pool(origin, {
    connections: 1,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 4000,
    keepAliveMaxTimeout: 4000
  })
}

async function providerHealth (app: FastifyInstance, opts: ProviderHealthOptions): Promise<void> {
  const { config } = opts
  const providers = config.routes.providers
  const ids = [...providers.keys()]
  const now = opts.now ?? Date.now
  const pools = new Map<string, Pool>()
  const dispatcherFor = opts.probeDispatcherFor ?? ((origin: string): Dispatcher => {
    let pool = pools.get(origin)
    if (pool === undefined) {
      pool = createProbePool(origin, config.PROVIDER_PROBE_TIMEOUT_MS)
      pools.set(origin, pool)
    }
    return pool
  })
  const probes = new ProviderProbes(ids, {
    intervalMs: config.PROVIDER_PROBE_INTERVAL_MS,
    now,
    probe: async (id) => {
      const provider = providers.get(id)
      if (provider === undefined) return { state: 'unknown', latencyMs: 0 }
      const outcome = await probeProvider(provider, dispatcherFor(provider.origin), config.PROVIDER_PROBE_TIMEOUT_MS)
      if (outcome.state === 'down') app.log.info({ provider: id, code: outcome.error?.code, latencyMs: outcome.latencyMs }, 'provider probe failed')
      return outcome
    }
  })
  const traffic = new TrafficStats(ids, TRAFFIC_WINDOW_MS, now)
  const errorGroups = new ErrorGroups(now)
  app.decorate('providerHealth', {
    probes,
    traffic,
    errorGroups,
    served: (provider) => { traffic.served(provider.id) },
    failed: (provider, err) => {
      const failure = describeFailure(err, 'call', provider.apiKey === undefined ? [] : [provider.apiKey])
      traffic.failed(provider.id, failure)
      errorGroups.record(provider.id, failure)
    }
  } satisfies ProviderHealth)
  // A probe in flight ends within its timeout (the pool's own timers); then the pools close.
  app.addHook('onClose', async () => {
    await probes.settled()
    await Promise.all([...pools.values()].map(async (pool) => await pool.destroy()))
  })
}

export const providerHealthPlugin = fp(providerHealth, { name: 'provider-health', fastify: '5.x' })
