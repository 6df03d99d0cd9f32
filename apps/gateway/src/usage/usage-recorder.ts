// Decorates `usage` (UsageRecorder): `record()` queues one usage_events row and returns at once;
// the batcher writes the queue as multi-row idempotent inserts (docs/adr/0018). Depends on
// `database`; in onClose (before the database closes) it flushes what is queued, bounded by what
// is left of SHUTDOWN_GRACE_MS, and counts and logs anything it could not write.
import type { NewUsageEvent } from '@switchyard/db/schema'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { GatewayConfig } from '../config.js'
import { insertUsageRows } from './insert-usage-rows.js'
import { UsageBatcher, type UsageStats } from './usage-batcher.js'

export interface UsageRecorder {
  /** Queues one event; never waits on the database, never throws. */
  record: (event: NewUsageEvent) => void
  /** The event of `requestId` while it is queued and not yet written (GET /v1/requests/{id}). */
  pending: (requestId: string) => NewUsageEvent | undefined
  /** Writes everything queued; false if `timeoutMs` passed first. */
  flush: (timeoutMs?: number) => Promise<boolean>
  /** Live counters (queued, written, dropped, failed flushes, batches) for metrics. */
  readonly stats: Readonly<UsageStats>
}

declare module 'fastify' {
  interface FastifyInstance {
    usage: UsageRecorder
  }
}

export interface UsageRecorderOptions {
  config: Pick<GatewayConfig, 'USAGE_BATCH_MAX_ROWS' | 'USAGE_FLUSH_INTERVAL_MS' | 'USAGE_BUFFER_MAX_EVENTS' | 'USAGE_WRITE_TIMEOUT_MS' | 'SHUTDOWN_GRACE_MS'>
}

/** Kept back from the grace period for closing the pool and the process after the flush. */
const shutdownMarginMs = 1000

async function usageRecorder (app: FastifyInstance, opts: UsageRecorderOptions): Promise<void> {
  const { config } = opts
  const log = app.log.child({ component: 'usage' })
  const batcher = new UsageBatcher({
    write: async (rows) => { await insertUsageRows(app.db, rows) },
    maxRows: config.USAGE_BATCH_MAX_ROWS,
    flushIntervalMs: config.USAGE_FLUSH_INTERVAL_MS,
    maxBuffered: config.USAGE_BUFFER_MAX_EVENTS,
    writeTimeoutMs: config.USAGE_WRITE_TIMEOUT_MS,
    log
  })
  app.decorate('usage', {
    record: (event: NewUsageEvent) => { batcher.record(event) },
    pending: (requestId: string) => batcher.find(requestId),
    flush: async (timeoutMs?: number) => await batcher.flush(timeoutMs),
    get stats () { return batcher.stats }
  })

  let closeStartedAt = 0
  app.addHook('preClose', async () => { closeStartedAt = performance.now() })
  app.addHook('onClose', async () => {
    const left = config.SHUTDOWN_GRACE_MS - (performance.now() - closeStartedAt) - shutdownMarginMs
    await batcher.close(Math.max(0, left))
  })
}

export const usageRecorderPlugin = fp(usageRecorder, { name: 'usage-recorder', fastify: '5.x', dependencies: ['database'] })
