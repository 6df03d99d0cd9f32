import type { Database } from '@switchyard/db'
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
  /** Rows per transaction: each batch is a short transaction, so no lock is held for long. */
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

/**
 * Removes old traces, batch by batch. Each batch takes the transaction-scoped advisory lock
 * (pg_try_advisory_xact_lock: never waits, released at commit even if the replica dies mid-run);
 * a batch that cannot take it ends the run, so two replicas never prune at the same time and the
 * request path, which never takes this lock, never waits on it. The batches walk the partial
 * index of rows that still hold a trace (usage_events_trace_created_at_idx), oldest first.
 */
export async function pruneTraces (db: Database, opts: PruneOptions): Promise<PruneResult> {
  let pruned = 0
  for (let batch = 0; batch < opts.maxBatches; batch++) {
    const done = await db.transaction(async (tx) => {
      const locked = firstRow(await tx.execute(sql`select pg_try_advisory_xact_lock(${TRACE_PRUNE_LOCK_KEY}) as locked`))?.['locked']
      if (locked !== true) return undefined
      const oldest = tx.select({ id: usageEvents.id }).from(usageEvents)
        .where(and(isNotNull(usageEvents.attempts), lt(usageEvents.createdAt, opts.olderThan)))
        .orderBy(asc(usageEvents.createdAt))
        .limit(opts.batchRows)
      const rows = await tx.update(usageEvents).set({ attempts: null }).where(inArray(usageEvents.id, oldest)).returning({ id: usageEvents.id })
      return rows.length
    })
    if (done === undefined) return { acquired: batch > 0, pruned }
    pruned += done
    if (done < opts.batchRows) break
  }
  return { acquired: true, pruned }
}
