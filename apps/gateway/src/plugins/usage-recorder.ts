// Decorates `usage`: records one usage_events row per completed request without delaying the
// response. Pending writes are tracked and awaited in onClose, so a graceful shutdown never drops
// usage that was already served.
import { usageEvents, type NewUsageEvent } from '@switchyard/db/schema'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export interface UsageRecorder {
  record: (event: NewUsageEvent) => void
  /** Resolves when every write started so far has settled. */
  flush: () => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    usage: UsageRecorder
  }
}

const FLUSH_TIMEOUT_MS = 5000

async function usageRecorder (app: FastifyInstance): Promise<void> {
  const pending = new Set<Promise<void>>()
  const record = (event: NewUsageEvent): void => {
    const write = app.db.insert(usageEvents).values(event).then(() => {}, (err: unknown) => {
      app.log.error({ err, requestId: event.requestId }, 'failed to record usage')
    })
    pending.add(write)
    void write.finally(() => pending.delete(write))
  }
  const flush = async (): Promise<void> => { await Promise.all([...pending]) }
  app.decorate('usage', { record, flush })
  app.addHook('onClose', async () => {
    // Bounded, so a dead database cannot hold shutdown past the grace period; whatever is still
    // pending then is logged as lost rather than silently dropped.
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), FLUSH_TIMEOUT_MS).unref())
    if (await Promise.race([flush().then(() => 'done' as const), timeout]) === 'timeout') {
      app.log.error({ pending: pending.size }, 'usage writes still pending at shutdown; they are lost')
    }
  })
}

export const usageRecorderPlugin = fp(usageRecorder, { name: 'usage-recorder', fastify: '5.x', dependencies: ['database'] })
