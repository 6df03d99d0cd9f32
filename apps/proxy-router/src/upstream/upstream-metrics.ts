import { createUpstreamTimings, type UpstreamTimings } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge } from 'prom-client'

export interface UpstreamMetrics {
  /** One provider call that answered usably (the attempt that served). */
  served: (provider: string) => void
  /** One failed provider call (each failed attempt, retries and fallbacks included). */
  failed: (provider: string, code: string) => void
  /** Another attempt on the same deployment after a failure. */
  retried: (provider: string) => void
  /** The loop moved on from a failed deployment to another one. */
  fellBack: (fromProvider: string, toProvider: string) => void
  /** A deployment started or ended a cooldown. */
  cooldownTransition: (deployment: string, state: 'cooling_down' | 'available') => void
  /** Provider latency and time to first byte, by provider and model (the per-deployment dispatchers' interceptor). */
  timings: UpstreamTimings
}

/** One keep-alive pool's figures at scrape time (undici PoolStats). */
export interface PoolFigures {
  /** The provider ids served by this pool (providers sharing an origin share one pool), joined with "+". */
  providers: string
  connected: number
  free: number
  pending: number
  running: number
}

declare module 'fastify' {
  interface FastifyInstance {
    upstreamMetrics: UpstreamMetrics
  }
}

/**
 * Provider calls and failures by provider (a bounded label: the routing table's ids) and
 * catalogue code. Their ratio is the deployment's "provider error rate" alarm
 * (infra/aws/src/metrics-sidecar.ts). Retries, fallbacks and cooldown transitions are counted
 * where the attempt loop and the cooldown book decide them; upstream latency and time to first
 * byte by provider and the deployment's model; pool gauges are read from `poolFigures` at scrape
 * time only. Every label comes from the routing table: never a client string. See docs/metrics.md.
 */
export function registerUpstreamMetrics (app: FastifyInstance, poolFigures: () => readonly PoolFigures[]): void {
  const registers = [app.metrics.registry]
  const requests = new Counter({ name: 'switchyard_upstream_requests_total', help: 'Provider calls (attempts), by provider and outcome', labelNames: ['provider', 'outcome'], registers })
  const errors = new Counter({ name: 'switchyard_upstream_errors_total', help: 'Failed provider calls (attempts), by provider and catalogue code', labelNames: ['provider', 'code'], registers })
  const retries = new Counter({ name: 'switchyard_upstream_retries_total', help: 'Attempts repeated on the same deployment after a retryable failure, by provider', labelNames: ['provider'], registers })
  const fallbacks = new Counter({ name: 'switchyard_upstream_fallbacks_total', help: 'Moves from a failed deployment to the next one of the alias, by the provider left and the provider tried', labelNames: ['from_provider', 'to_provider'], registers })
  const cooldowns = new Counter({ name: 'switchyard_cooldown_transitions_total', help: 'Deployments entering (cooling_down) or leaving (available) a cooldown', labelNames: ['deployment', 'state'], registers })
  const gauge = (name: string, help: string, read: (p: PoolFigures) => number): void => {
    new Gauge({ // eslint-disable-line no-new
      name,
      help,
      labelNames: ['provider'],
      registers,
      collect () {
        this.reset()
        for (const pool of poolFigures()) this.set({ provider: pool.providers }, read(pool))
      }
    })
  }
  gauge('switchyard_upstream_pool_connected', 'Open connections of a provider pool', (p) => p.connected)
  gauge('switchyard_upstream_pool_free', 'Idle keep-alive connections of a provider pool', (p) => p.free)
  gauge('switchyard_upstream_pool_pending', 'Requests waiting for a connection of a provider pool', (p) => p.pending)
  gauge('switchyard_upstream_pool_running', 'Requests in flight on a provider pool', (p) => p.running)

  app.decorate('upstreamMetrics', {
    served: (provider) => { requests.inc({ provider, outcome: 'served' }) },
    failed: (provider, code) => {
      requests.inc({ provider, outcome: 'failed' })
      errors.inc({ provider, code })
    },
    retried: (provider) => { retries.inc({ provider }) },
    fellBack: (fromProvider, toProvider) => { fallbacks.inc({ from_provider: fromProvider, to_provider: toProvider }) },
    cooldownTransition: (deployment, state) => { cooldowns.inc({ deployment, state }) },
    timings: createUpstreamTimings(app.metrics.registry, 'switchyard_upstream')
  } satisfies UpstreamMetrics)
}
