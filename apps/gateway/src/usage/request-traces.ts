import type { Database } from '@switchyard/db'
import { usageEvents, type NewUsageEvent, type UsageAttempt, type UsageEvent } from '@switchyard/db/schema'
import { desc, eq, gte } from 'drizzle-orm'

// Reads of request traces: one usage_events row, by request id (the unique index) or the most
// recent failures (the created_at index, walked backwards). Rows still queued in this replica's
// usage batch are not in the table yet; `toRequestTrace` also shapes those (usage-recorder
// `pending`), so a lookup right after an answer finds the request on the replica that served it.

/** A request's trace as the API and the debug bundle show it. */
export interface RequestTrace {
  requestId: string
  apiKeyId: string
  correlationId: string | null
  endpoint: string
  model: string
  provider: string | null
  deployment: string | null
  streamed: boolean
  statusCode: number
  errorCode: string | null
  promptTokens: number
  completionTokens: number
  totalTokens: number
  estimated: boolean
  createdAt: Date
  durationMs: number
  ttfbMs: number | null
  /** Null when the trace was pruned after TRACE_RETENTION_DAYS (or never recorded). */
  attempts: UsageAttempt[] | null
}

/** A stored row, or a queued event (its defaults filled in as the insert would). */
export function toRequestTrace (row: UsageEvent | NewUsageEvent): RequestTrace {
  return {
    requestId: row.requestId,
    apiKeyId: row.apiKeyId,
    correlationId: row.correlationId ?? null,
    endpoint: row.endpoint ?? 'chat.completions',
    model: row.model,
    provider: row.provider ?? null,
    deployment: row.deployment ?? null,
    streamed: row.streamed ?? false,
    statusCode: row.statusCode,
    errorCode: row.errorCode ?? null,
    promptTokens: row.promptTokens ?? 0,
    completionTokens: row.completionTokens ?? 0,
    totalTokens: row.totalTokens ?? 0,
    estimated: row.estimated ?? false,
    createdAt: row.createdAt ?? new Date(),
    durationMs: row.latencyMs,
    ttfbMs: row.ttfbMs ?? null,
    attempts: row.attempts ?? null
  }
}

/** The stored trace of one request, whoever made it (the caller checks ownership). */
export async function findRequestTrace (db: Database, requestId: string): Promise<RequestTrace | undefined> {
  const [row] = await db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId)).limit(1)
  return row === undefined ? undefined : toRequestTrace(row)
}

/**
 * The last `limit` failed requests (status >= 400; 499 = the client left first), newest first,
 * with their attempts (null once pruned), at most 1000: for the debug bundle. Only written rows
 * (a failure still queued in a batch appears a moment later). Walks the created_at index
 * backwards and stops after `limit` matches: cheap while failures are frequent; when they are
 * rare it reads further back (the whole table if there are fewer than `limit`), so it is for
 * operator tools, never the request path.
 */
export async function recentFailedTraces (db: Database, limit: number): Promise<RequestTrace[]> {
  const n = Math.max(0, Math.min(1000, Math.floor(limit)))
  if (n === 0) return []
  const rows = await db.select().from(usageEvents)
    .where(gte(usageEvents.statusCode, 400))
    .orderBy(desc(usageEvents.createdAt), desc(usageEvents.id))
    .limit(n)
  return rows.map(toRequestTrace)
}
