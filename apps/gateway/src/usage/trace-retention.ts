import type { Database, DbHandle } from '@switchyard/db'
import { usageEvents } from '@switchyard/db/schema'
import { and, asc, inArray, isNotNull, lt, sql } from 'drizzle-orm'

// Request traces (usage_events.attempts) are kept TRACE_RETENTION_DAYS days, then set to NULL;
// the rows themselves stay, because monthly quotas and usage reports are summed from them
// (docs/adr/0026). Every replica runs the pruner; a Postgres advisory lock lets one replica at a
// time do the work, and the others skip the round without waiting.

/** Shared by every replica (and distinct from the migrator's lock). */
export const TRACE_PRUNE_LOCK_KEY = 7_466_328_126

export interface PruneOptions {
  /** Traces of rows created before this are pruned. */
  olderThan: Date
  /** Rows per update: each batch is one short statement, so no row is locked for long. */
  batchRows: number
  /** Batches per run at most; what is left waits for the next run. */
  maxBatches: number
}

export interface PruneResult {
  /** False: another replica holds the lock; nothing was done. */
  acquired: boolean
  /** Rows whose trace was removed in this run. */
  pruned: number
}

/** The first row of a raw result: postgres.js returns the rows, PGlite `{ rows }`. */
function firstRow (result: unknown): Record<string, unknown> | undefined {
  const rows = Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows
  return rows?.[0] as Record<string, unknown> | undefined
}

/** Up to `maxBatches` short autocommit updates, oldest rows first; the number of traces removed. */
async function pruneBatches (db: Database, opts: PruneOptions): Promise<number> {
  let pruned = 0
  for (let batch = 0; batch < opts.maxBatches; batch++) {
    const oldest = db.select({ id: usageEvents.id }).from(usageEvents)
      .where(and(isNotNull(usageEvents.attempts), lt(usageEvents.createdAt, opts.olderThan)))
      .orderBy(asc(usageEvents.createdAt))
      .limit(opts.batchRows)
    const rows = await db.update(usageEvents).set({ attempts: null }).where(inArray(usageEvents.id, oldest)).returning({ id: usageEvents.id })
    pruned += rows.length
    if (rows.length < opts.batchRows) break
  }
  return pruned
}

/**
 * Removes old traces, batch by batch, if no other replica is doing it. The lock is
 * pg_try_advisory_xact_lock taken by a transaction that does nothing else and stays open for the
 * run: it never waits, and it is released at commit or when the connection dies with the
 * replica. The batches run on other connections of the pool, each its own short statement, so
 * no row stays locked for long and the request path (which never takes this lock) never waits.
 * They walk the partial index of rows that still hold a trace (usage_events_trace_created_at_idx).
 *
 * Embedded PGlite: no lock. It is one in-process connection (the open transaction would block
 * the batches) and, by construction, one gateway process: nobody to exclude.
 */
export async function pruneTraces (handle: DbHandle, opts: PruneOptions): Promise<PruneResult> {
  if (handle.kind === 'pglite') return { acquired: true, pruned: await pruneBatches(handle.db, opts) }
  let result: PruneResult = { acquired: false, pruned: 0 }
  await handle.db.transaction(async (tx) => {
    const locked = firstRow(await tx.execute(sql`select pg_try_advisory_xact_lock(${TRACE_PRUNE_LOCK_KEY}) as locked`))?.['locked']
    if (locked !== true) return
    result = { acquired: true, pruned: await pruneBatches(handle.db, opts) }
  })
  return result
}
