import type { FastifyInstance } from 'fastify'
import { Counter } from 'prom-client'

export interface UpstreamMetrics {
  /** One provider call that answered usably (the attempt that served). */
  served: (provider: string) => void
  /** One failed provider call (each failed attempt, retries and fallbacks included). */
  failed: (provider: string, code: string) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    upstreamMetrics: UpstreamMetrics
  }
}

/**
 * Provider calls and failures by provider (a bounded label: the routing table's ids) and
 * catalogue code. Their ratio is the deployment's "provider error rate" alarm
 * (infra/aws/src/metrics-sidecar.ts). Retries and fallbacks show as failures followed by a call
 * that served.
 */
export function registerUpstreamMetrics (app: FastifyInstance): void {
  const registers = [app.metrics.registry]
  const requests = new Counter({ name: 'switchyard_upstream_requests_total', help: 'Provider calls (attempts), by provider and outcome', labelNames: ['provider', 'outcome'], registers })
  const errors = new Counter({ name: 'switchyard_upstream_errors_total', help: 'Failed provider calls (attempts), by provider and catalogue code', labelNames: ['provider', 'code'], registers })
  app.decorate('upstreamMetrics', {
    served: (provider) => { requests.inc({ provider, outcome: 'served' }) },
    failed: (provider, code) => {
      requests.inc({ provider, outcome: 'failed' })
      errors.inc({ provider, code })
    }
  } satisfies UpstreamMetrics)
}
