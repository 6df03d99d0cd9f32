import { apiKeys, type ApiKey } from '@switchyard/db/schema'
import type { Database } from '@switchyard/db'
import { desc, eq } from 'drizzle-orm'

/** What authentication needs to know about a key: small, so it caches well. */
export interface ResolvedKey {
  id: string
  userId: string | null
  name: string
  revoked: boolean
}

export async function findKeyByHash (db: Database, keyHash: string): Promise<ResolvedKey | undefined> {
  const [row] = await db
    .select({ id: apiKeys.id, userId: apiKeys.userId, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1)
  if (row === undefined) return undefined
  return { id: row.id, userId: row.userId, name: row.name, revoked: row.revokedAt !== null }
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
