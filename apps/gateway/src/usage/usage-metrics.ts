import type { FastifyInstance } from 'fastify'
import { Counter, Gauge } from 'prom-client'

/**
 * The usage writer's figures as metrics, read from `app.usage.stats` at scrape time (nothing on
 * the request path). `switchyard_usage_events_dropped_total` is what the deployment's
 * "dropped usage events" alarm watches (infra/aws/src/metrics-sidecar.ts).
 */
export function registerUsageMetrics (app: FastifyInstance): void {
  const registers = [app.metrics.registry]
  const stats = () => app.usage.stats
  const counter = (name: string, help: string, read: () => number) => new Counter({
    name,
    help,
    registers,
    collect () {
      this.reset()
      this.inc(read())
    }
  })
  counter('switchyard_usage_events_written_total', 'Usage events written to Postgres', () => stats().written)
  counter('switchyard_usage_events_dropped_total', 'Usage events dropped (buffer full while Postgres was unreachable, or unwritable)', () => stats().dropped)
  counter('switchyard_usage_flush_failures_total', 'Batch inserts that failed and were retried', () => stats().failedFlushes)
  new Gauge({ // eslint-disable-line no-new
    name: 'switchyard_usage_events_queued',
    help: 'Usage events waiting to be written',
    registers,
    collect () { this.set(stats().queued) }
  })
}
