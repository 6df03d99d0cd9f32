import type { FastifyInstance } from 'fastify'
import { Gauge } from 'prom-client'
import type { HealthRound } from '../providers/health-round.js'

/** At most this many providers get their own label values (a routing table is far smaller). */
const MAX_PROVIDERS = 50

const statusValue = { healthy: 0, degraded: 1, unhealthy: 2 } as const

export type ObserveRound = (round: HealthRound) => void

/**
 * The latest probe round as gauges on the service's registry (app.metrics.registry, served on
 * METRICS_PORT): up and latency per dependency (`database`, `redis`, `gateway`, `proxy-router`,
 * `provider:<id>`: bounded by the configuration and the routing table) and the overall status.
 * Each round replaces the previous values, so a provider that left the table leaves the series.
 */
export function registerHealthGauges (app: FastifyInstance): ObserveRound {
  const registers = [app.metrics.registry]
  const up = new Gauge({ name: 'switchyard_health_dependency_up', help: 'Last probe of a dependency: 1 up, 0 down (providers: as the router last probed them; unknown = no sample)', labelNames: ['dependency'], registers })
  const latency = new Gauge({ name: 'switchyard_health_dependency_latency_seconds', help: 'Latency of the last probe of a dependency', labelNames: ['dependency'], registers })
  const status = new Gauge({ name: 'switchyard_health_status', help: 'Overall status of the last round: 0 healthy, 1 degraded, 2 unhealthy (503 only at 2)', registers })
  return (round) => {
    up.reset()
    latency.reset()
    for (const [name, check] of Object.entries(round.checks)) {
      up.set({ dependency: name }, check.ok ? 1 : 0)
      latency.set({ dependency: name }, check.latencyMs / 1000)
    }
    for (const p of round.providers.slice(0, MAX_PROVIDERS)) {
      if (p.state === 'unknown') continue
      const dependency = `provider:${p.id}`
      up.set({ dependency }, p.state === 'up' ? 1 : 0)
      if (p.latencyMs !== null) latency.set({ dependency }, p.latencyMs / 1000)
    }
    status.set(statusValue[round.status])
  }
}
