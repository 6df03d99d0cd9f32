import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeys, createDb, isUniqueViolation, pgErrorOf, plans, runMigrations, usageEvents, users, type DbHandle } from '../src/index.js'
import { rejectionOf } from './helpers/pg-error.js'
import { rowsOf } from './helpers/rows.js'
import { findKeyByPlaintext, revokeKey, seedAccount } from './helpers/seed.js'

describe('embedded PGlite in memory', () => {
  let handle: DbHandle
  const logs: string[] = []

  beforeAll(async () => {
    handle = await createDb({ dataDir: 'memory://', log: (m, level) => logs.push(`${level}: ${m}`) })
  })
  afterAll(async () => { await handle.close() })

  it('is migrated at start and says it is the embedded single-instance database', async () => {
    expect(handle.kind).toBe('pglite')
    const tables = await rowsOf<{ table_name: string }>(handle.db, sql`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`)
    expect(tables.map((r) => r.table_name)).toEqual(['api_keys', 'auth_revision', 'plans', 'usage_events', 'users'])
    const pglite = logs.filter((l) => l.includes('embedded PGlite'))
    expect(pglite).toHaveLength(1)
    expect(pglite[0]).toMatch(/single instance/)
    expect(pglite[0]).toMatch(/in memory/)
    // The single-instance notice is a warning; the migration report is routine.
    expect(pglite[0]).toMatch(/^warn: /)
    expect(logs.find((l) => l.includes('applied migrations'))).toMatch(/^info: /)
  })

  it('stores and reads back a plan, user, API key and usage event with their defaults', async () => {
    const seeded = await seedAccount(handle.db)
    // bigint in mode number: a quota above 2^31 round-trips as a JS number.
    expect(seeded.plan.monthlyTokenQuota).toBe(5_000_000_000)
    expect(seeded.plan.tokensPerMinute).toBeNull()
    expect(seeded.key.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(seeded.key.revokedAt).toBeNull()
    expect(seeded.event.id).toBeTypeOf('number')
    expect(seeded.event.createdAt).toBeInstanceOf(Date)

    const found = await findKeyByPlaintext(handle.db, seeded.plaintextKey)
    expect(found?.key.id).toBe(seeded.key.id)
    expect(found?.user?.planId).toBe(seeded.plan.id)
    // Only the digest is stored: the plaintext appears in no column.
    expect(JSON.stringify(found)).not.toContain(seeded.plaintextKey)

    const events = await handle.db.select().from(usageEvents).where(eq(usageEvents.apiKeyId, seeded.key.id))
    expect(events).toEqual([seeded.event])
    expect(events[0]).toMatchObject({ totalTokens: 42, streamed: true, errorCode: null })

    const revoked = await revokeKey(handle.db, seeded.key.id)
    expect(revoked?.revokedAt).toBeInstanceOf(Date)
  })

  it('rejects a second key with the same hash (unique key_hash)', async () => {
    const seeded = await seedAccount(handle.db, 'dup')
    const err = await rejectionOf(handle.db.insert(apiKeys).values({ name: 'copy', keyHash: seeded.key.keyHash, keyPrefix: 'sk-copy' }))
    expect(pgErrorOf(err)).toEqual({ code: '23505', constraint: 'api_keys_key_hash_unique' })
    expect(isUniqueViolation(err, 'api_keys_key_hash_unique')).toBe(true)
  })

  it('deleting a user removes their keys and usage; a plan that users are on cannot be deleted', async () => {
    const seeded = await seedAccount(handle.db, 'cascade')
    const err = await rejectionOf(handle.db.delete(plans).where(eq(plans.id, seeded.plan.id)))
    expect(pgErrorOf(err)).toEqual({ code: '23503', constraint: 'users_plan_id_plans_id_fk' })

    await handle.db.delete(users).where(eq(users.id, seeded.user.id))
    expect(await handle.db.select().from(apiKeys).where(eq(apiKeys.id, seeded.key.id))).toEqual([])
    expect(await handle.db.select().from(usageEvents).where(eq(usageEvents.apiKeyId, seeded.key.id))).toEqual([])
  })

  it('running migrations again applies nothing', async () => {
    expect(await runMigrations(handle)).toEqual({ applied: [], total: 3 })
  })

  it('ping answers while open and rejects after close; close is idempotent', async () => {
    const other = await createDb({ dataDir: 'memory://' })
    await expect(other.ping()).resolves.toBeUndefined()
    await Promise.all([other.close(), other.close()])
    await other.close()
    await expect(other.ping()).rejects.toThrow()
  })
})
