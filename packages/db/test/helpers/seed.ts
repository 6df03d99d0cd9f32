import { createHash, randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { apiKeys, plans, usageEvents, users, type ApiKey, type Database, type Plan, type UsageEvent, type User } from '../../src/index.js'

export interface Seeded {
  plan: Plan
  user: User
  key: ApiKey
  plaintextKey: string
  event: UsageEvent
}

export function hashKey (plaintext: string): string {
  return createHash('sha256').update(plaintext).digest('hex')
}

/**
 * Writes one plan → user → API key → usage event chain the way the gateway will, through the
 * shared `Database` type: the same function runs against PGlite and postgres.js, which is the
 * point of that type (it would not compile if either driver needed its own code path).
 */
export async function seedAccount (db: Database, label = 'team'): Promise<Seeded> {
  const [plan] = await db.insert(plans)
    .values({ name: `${label}-plan`, monthlyTokenQuota: 5_000_000_000, requestsPerMinute: 60 })
    .returning()
  if (plan === undefined) throw new Error('insert plan returned nothing')
  const [user] = await db.insert(users)
    .values({ name: `${label} user`, email: `${label}@example.test`, planId: plan.id })
    .returning()
  if (user === undefined) throw new Error('insert user returned nothing')
  const plaintextKey = `sk-sy-${randomBytes(24).toString('hex')}`
  const [key] = await db.insert(apiKeys)
    .values({ userId: user.id, name: 'ci', keyHash: hashKey(plaintextKey), keyPrefix: plaintextKey.slice(0, 10) })
    .returning()
  if (key === undefined) throw new Error('insert key returned nothing')
  const [event] = await db.insert(usageEvents)
    .values({
      apiKeyId: key.id,
      userId: user.id,
      requestId: `req_${randomBytes(8).toString('hex')}`,
      model: 'gpt-4o-mini',
      provider: 'openai',
      promptTokens: 12,
      completionTokens: 30,
      totalTokens: 42,
      statusCode: 200,
      streamed: true,
      latencyMs: 850
    })
    .returning()
  if (event === undefined) throw new Error('insert usage event returned nothing')
  return { plan, user, key, plaintextKey, event }
}

/** The gateway's hot-path lookup: plaintext from the request → hash → key row + owner. */
export async function findKeyByPlaintext (db: Database, plaintext: string): Promise<{ key: ApiKey, user: User | null } | undefined> {
  const rows = await db.select({ key: apiKeys, user: users })
    .from(apiKeys)
    .leftJoin(users, eq(apiKeys.userId, users.id))
    .where(eq(apiKeys.keyHash, hashKey(plaintext)))
  return rows[0]
}

export async function revokeKey (db: Database, id: string): Promise<ApiKey | undefined> {
  const [row] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning()
  return row
}
