import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, infraFor, type TestDatabase } from '@switchyard/testing'
import { createDb, isUniqueViolation, pgErrorOf, runMigrations } from '../src/index.js'
import { rejectionOf } from './helpers/pg-error.js'
import { findKeyByPlaintext, revokeKey, seedAccount } from './helpers/seed.js'
import { apiKeys } from '../src/schema/index.js'

const infra = await infraFor('db on postgres', ['postgres'])

async function publicTables (url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const rows = await sql<Array<{ table_name: string }>>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`
    return rows.map((r) => r.table_name)
  } finally {
    await sql.end({ timeout: 1 })
  }
}

describe.skipIf(!infra.ok)('migrations on postgres', () => {
  let testDb: TestDatabase
  beforeAll(async () => { testDb = await createTestDatabase('db_migrations') })
  afterAll(async () => { await testDb.drop() })

  it('createDb with a url does not migrate unless asked (production migrates as a one-off task)', async () => {
    const handle = await createDb({ url: testDb.url })
    try {
      expect(handle.kind).toBe('postgres')
      await handle.ping()
      expect(await publicTables(testDb.url)).toEqual([])
    } finally {
      await handle.close()
    }
  })

  it('runMigrations creates the tables, and a second run is a no-op', async () => {
    const handle = await createDb({ url: testDb.url })
    try {
      expect(await runMigrations(handle)).toEqual({ applied: ['0000_init', '0001_users_plans_quotas', '0002_usage_trace_retention'], total: 3 })
      expect(await publicTables(testDb.url)).toEqual(['api_keys', 'auth_revision', 'plans', 'usage_events', 'users'])

      const seeded = await seedAccount(handle.db)
      expect(await runMigrations(handle)).toEqual({ applied: [], total: 3 })
      // The second run neither failed nor touched data.
      expect((await findKeyByPlaintext(handle.db, seeded.plaintextKey))?.key.id).toBe(seeded.key.id)
    } finally {
      await handle.close()
    }
  })

  it('runs the same query code as PGlite: returning(), joins, updates, unique key_hash', async () => {
    const handle = await createDb({ url: testDb.url, migrate: true })
    try {
      const seeded = await seedAccount(handle.db, 'pg')
      expect(seeded.plan.monthlyTokenQuota).toBe(5_000_000_000)
      expect(seeded.event.id).toBeTypeOf('number')
      const found = await findKeyByPlaintext(handle.db, seeded.plaintextKey)
      expect(found?.user?.email).toBe('pg@example.test')
      expect((await revokeKey(handle.db, seeded.key.id))?.revokedAt).toBeInstanceOf(Date)
      const err = await rejectionOf(handle.db.insert(apiKeys).values({ name: 'copy', keyHash: seeded.key.keyHash, keyPrefix: 'sk-copy' }))
      expect(pgErrorOf(err)).toEqual({ code: '23505', constraint: 'api_keys_key_hash_unique' })
      expect(isUniqueViolation(err, 'api_keys_key_hash_unique')).toBe(true)
    } finally {
      await handle.close()
    }
  })

  it('two concurrent runs on a fresh database both succeed and apply each migration once', async () => {
    const fresh = await createTestDatabase('db_migrations_race')
    const a = await createDb({ url: fresh.url })
    const b = await createDb({ url: fresh.url })
    try {
      const results = await Promise.all([runMigrations(a), runMigrations(b)])
      expect(results.map((r) => r.applied).flat()).toEqual(['0000_init', '0001_users_plans_quotas', '0002_usage_trace_retention'])
      expect(await publicTables(fresh.url)).toEqual(['api_keys', 'auth_revision', 'plans', 'usage_events', 'users'])
    } finally {
      await Promise.all([a.close(), b.close()])
      await fresh.drop()
    }
  })
})
