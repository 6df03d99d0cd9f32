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
  app.addHook('onClose', flush)
}

export const usageRecorderPlugin = fp(usageRecorder, { name: 'usage-recorder', fastify: '5.x', dependencies: ['database'] })
