import { apiKeys, DEFAULT_PLAN_ID, DEFAULT_USER_ID, plans, users, type ApiKey, type NewApiKey } from '@switchyard/db/schema'
import type { Database } from '@switchyard/db'
import { SwitchyardError } from '@switchyard/errors'
import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm'
import { effectiveLimits, type ResolvedKey } from '../auth/resolved-key.js'
import { overridesChangeSql, type OverridesChange } from './limit-overrides.js'

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

export type KeyValues = Pick<NewApiKey, 'name' | 'keyHash' | 'keyPrefix' | 'userId' | 'expiresAt' | 'allowedModels' | 'limitOverrides'>

export async function insertKey (db: Database, values: KeyValues): Promise<ApiKey> {
  const [row] = await db.insert(apiKeys).values({ ...values, userId: values.userId ?? null }).returning()
  if (row === undefined) throw new Error('insert into api_keys returned no row')
  return row
}

/** Keys owned by a user; keys without a user belong to the default user. */
function ownedBy (userId: string): SQL | undefined {
  return userId === DEFAULT_USER_ID ? or(eq(apiKeys.userId, userId), isNull(apiKeys.userId)) : eq(apiKeys.userId, userId)
}

/** Every key, or one user's keys, newest first. */
export async function listKeys (db: Database, userId?: string): Promise<ApiKey[]> {
  return await db.select().from(apiKeys).where(userId === undefined ? undefined : ownedBy(userId)).orderBy(desc(apiKeys.createdAt))
}

/**
 * Marks a key revoked (idempotent: the first revocation time is kept). Undefined if no such key,
 * or if `userId` is given and the key is not that user's.
 */
export async function revokeKey (db: Database, id: string, userId?: string): Promise<ApiKey | undefined> {
  const where = and(eq(apiKeys.id, id), userId === undefined ? undefined : ownedBy(userId))
  const [existing] = await db.select().from(apiKeys).where(where).limit(1)
  if (existing === undefined) return undefined
  if (existing.revokedAt !== null) return existing
  const [row] = await db.update(apiKeys).set({ revokedAt: new Date(), updatedAt: new Date() }).where(eq(apiKeys.id, id)).returning()
  return row
}

export type KeyChanges = Partial<Pick<NewApiKey, 'name' | 'expiresAt' | 'allowedModels'>> & { limits?: OverridesChange }

/** A user's key; throws API_KEY_NOT_FOUND when there is none or it is another user's. */
export async function getUserKey (db: Database, userId: string, id: string): Promise<ApiKey> {
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.id, id), ownedBy(userId))).limit(1)
  if (row === undefined) throw new SwitchyardError('API_KEY_NOT_FOUND', { details: { id } })
  return row
}

export async function updateKey (db: Database, userId: string, id: string, { limits, ...changes }: KeyChanges): Promise<ApiKey> {
  const [row] = await db.update(apiKeys)
    .set({ ...changes, ...(limits === undefined ? {} : { limitOverrides: overridesChangeSql(apiKeys.limitOverrides, limits) }), updatedAt: new Date() }).where(and(eq(apiKeys.id, id), ownedBy(userId))).returning()
  if (row === undefined) throw new SwitchyardError('API_KEY_NOT_FOUND', { details: { id } })
  return row
}

/** Hashes of a user's keys: what to evict from the key cache when the user changes. */
export async function keyHashesOfUser (db: Database, userId: string): Promise<string[]> {
  const rows = await db.select({ keyHash: apiKeys.keyHash }).from(apiKeys).where(ownedBy(userId))
  return rows.map((r) => r.keyHash)
}

/** Hashes of every key whose user is on the plan: what to evict when the plan changes. */
export async function keyHashesOfPlan (db: Database, planId: string): Promise<string[]> {
  const rows = await db.select({ keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, sql`coalesce(${apiKeys.userId}, ${DEFAULT_USER_ID}::uuid)`))
    .where(eq(sql`coalesce(${users.planId}, ${DEFAULT_PLAN_ID}::uuid)`, planId))
  return rows.map((r) => r.keyHash)
}
