import { apiKeys, DEFAULT_PLAN_ID, DEFAULT_USER_ID, plans, users, type ApiKey } from '@switchyard/db/schema'
import type { Database } from '@switchyard/db'
import { desc, eq, sql } from 'drizzle-orm'
import { effectiveLimits, type ResolvedKey } from '../auth/resolved-key.js'

export type { ResolvedKey } from '../auth/resolved-key.js'

const userIdOf = sql`coalesce(${apiKeys.userId}, ${DEFAULT_USER_ID}::uuid)`
const planIdOf = sql`coalesce(${users.planId}, ${DEFAULT_PLAN_ID}::uuid)`

/**
 * Everything authentication and limits need about a key, in one query: the key, its user (null
 * = the default user) and the user's plan (null = the default plan), overrides applied.
 */
export async function findKeyByHash (db: Database, keyHash: string): Promise<ResolvedKey | undefined> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      userId: userIdOf.mapWith(String),
      name: apiKeys.name,
      revokedAt: apiKeys.revokedAt,
      expiresAt: apiKeys.expiresAt,
      allowedModels: apiKeys.allowedModels,
      keyOverrides: apiKeys.limitOverrides,
      userOverrides: users.limitOverrides,
      planName: plans.name,
      monthlyTokenQuota: plans.monthlyTokenQuota,
      requestsPerMinute: plans.requestsPerMinute,
      tokensPerMinute: plans.tokensPerMinute
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, userIdOf))
    .leftJoin(plans, eq(plans.id, planIdOf))
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1)
  if (row === undefined) return undefined
  const plan = {
    monthlyTokenQuota: row.monthlyTokenQuota === null ? null : Number(row.monthlyTokenQuota),
    requestsPerMinute: row.requestsPerMinute,
    tokensPerMinute: row.tokensPerMinute
  }
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    planName: row.planName ?? 'default',
    revoked: row.revokedAt !== null,
    expiresAt: row.expiresAt === null ? null : row.expiresAt.getTime(),
    allowedModels: row.allowedModels,
    ...effectiveLimits(plan, row.userOverrides ?? {}, row.keyOverrides)
  }
}

export async function insertKey (db: Database, values: { name: string, keyHash: string, keyPrefix: string, userId?: string | null }): Promise<ApiKey> {
  const [row] = await db.insert(apiKeys).values({ ...values, userId: values.userId ?? null }).returning()
  if (row === undefined) throw new Error('insert into api_keys returned no row')
  return row
}

export async function listKeys (db: Database): Promise<ApiKey[]> {
  return await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt))
}

/** Marks a key revoked (idempotent: the first revocation time is kept). Undefined if no such key. */
export async function revokeKey (db: Database, id: string): Promise<ApiKey | undefined> {
  const [existing] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1)
  if (existing === undefined) return undefined
  if (existing.revokedAt !== null) return existing
  const [row] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning()
  return row
}
