import type { Database } from '@switchyard/db'
import { usageEvents } from '@switchyard/db/schema'
import { and, asc, count, eq, gte, sql, sum } from 'drizzle-orm'

export type Owner = { userId: string } | { keyId: string }

const ownerIs = (owner: Owner) => 'userId' in owner ? eq(usageEvents.userId, owner.userId) : eq(usageEvents.apiKeyId, owner.keyId)

/**
 * Tokens used since `since` by a user (all keys) or one key, from the durable usage events:
 * what a missing Redis counter is rebuilt from, and what quotas fall back to without Redis.
 * Served by the (user_id | api_key_id, created_at) indexes.
 */
export async function tokensUsedSince (db: Database, owner: Owner, since: Date): Promise<number> {
  const [row] = await db.select({ total: sum(usageEvents.totalTokens) }).from(usageEvents)
    .where(and(ownerIs(owner), gte(usageEvents.createdAt, since)))
  return Number(row?.total ?? 0)
}

export interface UsageBreakdown {
  byModel: Array<{ model: string, requests: number, promptTokens: number, completionTokens: number, totalTokens: number }>
  byDay: Array<{ date: string, requests: number, totalTokens: number }>
}

/** A user's usage since `since`, per model and per UTC day (for GET /v1/users/me/usage). */
export async function usageBreakdown (db: Database, userId: string, since: Date): Promise<UsageBreakdown> {
  const where = and(eq(usageEvents.userId, userId), gte(usageEvents.createdAt, since))
  const day = sql<string>`to_char(${usageEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const [models, days] = await Promise.all([
    db.select({
      model: usageEvents.model,
      requests: count(),
      promptTokens: sum(usageEvents.promptTokens),
      completionTokens: sum(usageEvents.completionTokens),
      totalTokens: sum(usageEvents.totalTokens)
    }).from(usageEvents).where(where).groupBy(usageEvents.model).orderBy(asc(usageEvents.model)),
    db.select({ date: day, requests: count(), totalTokens: sum(usageEvents.totalTokens) })
      .from(usageEvents).where(where).groupBy(day).orderBy(asc(day))
  ])
  return {
    byModel: models.map((m) => ({ model: m.model, requests: m.requests, promptTokens: Number(m.promptTokens ?? 0), completionTokens: Number(m.completionTokens ?? 0), totalTokens: Number(m.totalTokens ?? 0) })),
    byDay: days.map((d) => ({ date: d.date, requests: d.requests, totalTokens: Number(d.totalTokens ?? 0) }))
  }
}
