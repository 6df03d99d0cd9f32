import type { Database } from '@switchyard/db'
import { usageEvents, type UsageAttempt } from '@switchyard/db/schema'
import { and, desc, gte, isNotNull, or } from 'drizzle-orm'

/** One failed request as the support bundle shows it: ids, outcome and timings, never a body or a key. */
export interface FailedRequestTrace {
  requestId: string
  created: string
  status: number
  code: string | null
  model: string
  endpoint: string
  deployment: string | null
  attempts: UsageAttempt[] | null
  latencyMs: number
  ttfbMs: number | null
  streamed: boolean
}

/**
 * The newest failed requests (status >= 400 or a catalogue code, e.g. a stream that failed after
 * its 200), newest first. One bounded query: `limit` rows at most, and only rows since `since`,
 * so it walks the created_at index backwards over a bounded range even on a large table.
 */
export async function recentFailedRequests (db: Database, opts: { limit: number, since: Date }): Promise<FailedRequestTrace[]> {
  const rows = await db.select({
    requestId: usageEvents.requestId,
    createdAt: usageEvents.createdAt,
    status: usageEvents.statusCode,
    code: usageEvents.errorCode,
    model: usageEvents.model,
    endpoint: usageEvents.endpoint,
    deployment: usageEvents.deployment,
    attempts: usageEvents.attempts,
    latencyMs: usageEvents.latencyMs,
    ttfbMs: usageEvents.ttfbMs,
    streamed: usageEvents.streamed
  }).from(usageEvents)
    .where(and(gte(usageEvents.createdAt, opts.since), or(gte(usageEvents.statusCode, 400), isNotNull(usageEvents.errorCode))))
    .orderBy(desc(usageEvents.createdAt), desc(usageEvents.id))
    .limit(Math.max(1, Math.min(opts.limit, 1000)))
  return rows.map(({ createdAt, ...row }) => ({ ...row, created: createdAt.toISOString() }))
}
