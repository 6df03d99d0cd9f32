import { createDb, type DbHandle } from '@switchyard/db'
import { apiKeys, usageEvents, type NewUsageEvent } from '@switchyard/db/schema'
import { infraFor } from '@switchyard/testing'
import { asc, sql, sum } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { adminHeaders, startPostgresApp, type PostgresApp } from '../helpers/postgres-app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'
import { recentFailedTraces } from '../../src/usage/request-traces.js'
import { pruneTraces, TRACE_PRUNE_LOCK_KEY } from '../../src/usage/trace-retention.js'

const infra = await infraFor('trace retention', ['postgres'])

const dayMs = 24 * 60 * 60 * 1000
const attempts = [{ deployment: 'a/m', provider: 'a', outcome: 'failed' as const, code: 'PROVIDER_AUTH_FAILED', upstreamStatus: 401, durationMs: 3 }]

// Old traces are removed from their usage rows (the rows and their tokens stay for quotas), by
// one gateway replica at a time.
describe.skipIf(!infra.ok)('request trace retention on Postgres', () => {
  let pg: PostgresApp
  /** A second connection pool: another gateway replica. */
  let replica: DbHandle
  let keyId: string

  const rows = (n: number, ageDays: number, label: string, extra: Partial<NewUsageEvent> = {}): NewUsageEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      apiKeyId: keyId,
      requestId: `${label}_${i}`,
      model: 'mock-gpt',
      statusCode: 200,
      latencyMs: 10,
      totalTokens: 5,
      attempts,
      createdAt: new Date(Date.now() - ageDays * dayMs - i * 1000),
      ...extra
    }))
  const tracesLeft = async (db: DbHandle): Promise<number> =>
    (await db.db.select({ id: usageEvents.id }).from(usageEvents).where(sql`${usageEvents.attempts} is not null`)).length
  const totals = async (db: DbHandle): Promise<{ rows: number, tokens: number }> => {
    const [row] = await db.db.select({ rows: sql<number>`count(*)::int`, tokens: sum(usageEvents.totalTokens) }).from(usageEvents)
    return { rows: Number(row?.rows ?? 0), tokens: Number(row?.tokens ?? 0) }
  }
  const options = { olderThan: new Date(Date.now() - 7 * dayMs), batchRows: 7, maxBatches: 1000 }

  beforeAll(async () => {
    pg = await startPostgresApp('traceretention')
    replica = await createDb({ url: pg.database.url, pool: { max: 3 } })
    const res = await pg.app.inject({ method: 'POST', url: '/v1/api-keys', headers: adminHeaders, payload: { name: 'retention' } })
    keyId = res.json<{ id: string }>().id
  })
  afterAll(async () => {
    await replica?.close()
    await pg?.close()
  })
  beforeEach(async () => { await pg.db.db.delete(usageEvents) })

  it('removes traces older than the retention and keeps the rows, their tokens and recent traces', async () => {
    await pg.db.db.insert(usageEvents).values([...rows(30, 10, 'old'), ...rows(5, 1, 'new')])
    const before = await totals(pg.db)

    const result = await pruneTraces(pg.db, options)

    expect(result).toEqual({ acquired: true, pruned: 30 })
    expect(await totals(pg.db)).toEqual(before)
    const left = await pg.db.db.select({ requestId: usageEvents.requestId, attempts: usageEvents.attempts }).from(usageEvents).orderBy(asc(usageEvents.requestId))
    for (const row of left) expect(row.attempts === null).toBe(row.requestId.startsWith('old_'))
    // Nothing left to do: a second run finds nothing.
    expect(await pruneTraces(pg.db, options)).toEqual({ acquired: true, pruned: 0 })
  })

  it('skips the round while another replica holds the lock, then does the work', async () => {
    await pg.db.db.insert(usageEvents).values(rows(12, 30, 'locked'))
    await replica.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${TRACE_PRUNE_LOCK_KEY})`)
      expect(await pruneTraces(pg.db, options)).toEqual({ acquired: false, pruned: 0 })
    })
    expect(await tracesLeft(pg.db)).toBe(12)
    expect(await pruneTraces(pg.db, options)).toEqual({ acquired: true, pruned: 12 })
  })

  it('lets only one of two concurrent pruners do the work', async () => {
    await pg.db.db.insert(usageEvents).values(rows(200, 8, 'race'))
    const results = await Promise.all([pruneTraces(pg.db, options), pruneTraces(replica, options)])
    expect(results.reduce((n, r) => n + r.pruned, 0)).toBe(200)
    expect(results.filter((r) => r.pruned > 0)).toHaveLength(1)
    expect(await tracesLeft(pg.db)).toBe(0)
  })

  it('a running gateway prunes by itself every TRACE_PRUNE_INTERVAL_MS', async () => {
    await pg.db.db.insert(usageEvents).values([...rows(3, 3, 'auto'), ...rows(2, 1, 'keep')])
    const env = { INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'silent', ROUTER_URL: 'http://127.0.0.1:9', DATABASE_URL: pg.database.url }
    const app = await buildApp(loadGatewayConfig({ ...env, TRACE_RETENTION_DAYS: '2', TRACE_PRUNE_INTERVAL_MS: '1000' }, 'test'), { db: replica })
    try {
      await app.ready()
      const deadline = Date.now() + 15_000
      while (await tracesLeft(pg.db) > 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
      expect(await tracesLeft(pg.db)).toBe(2)
    } finally {
      await app.close()
    }
  })

  it('lists the most recent failed requests first, with their attempts', async () => {
    await pg.db.db.insert(usageEvents).values([
      ...rows(3, 0, 'ok'),
      ...rows(4, 0, 'failed', { statusCode: 502, errorCode: 'PROVIDER_AUTH_FAILED' })
    ])
    const traces = await recentFailedTraces(pg.db.db, 3)
    expect(traces.map((t) => t.requestId)).toEqual(['failed_0', 'failed_1', 'failed_2'])
    expect(traces[0]).toMatchObject({ statusCode: 502, errorCode: 'PROVIDER_AUTH_FAILED', attempts })
    expect(await recentFailedTraces(pg.db.db, 0)).toEqual([])
  })
})

// `pnpm dev` runs on the embedded PGlite: one process, one connection, so the pruner runs
// without the lock (it could not hold a transaction open while batching on the same connection).
describe('request trace retention on the embedded PGlite', () => {
  it('removes old traces without a lock', async () => {
    const db = await createDb({ dataDir: 'memory://' })
    try {
      const [key] = await db.db.insert(apiKeys).values({ name: 'dev', keyHash: 'h'.repeat(64), keyPrefix: 'sk-sy-dev' }).returning({ id: apiKeys.id })
      const old = { apiKeyId: key!.id, model: 'mock-gpt', statusCode: 200, latencyMs: 1, attempts, createdAt: new Date(Date.now() - 9 * dayMs) }
      await db.db.insert(usageEvents).values([{ ...old, requestId: 'dev_old' }, { ...old, requestId: 'dev_new', createdAt: new Date() }])
      expect(await pruneTraces(db, { olderThan: new Date(Date.now() - 7 * dayMs), batchRows: 100, maxBatches: 10 })).toEqual({ acquired: true, pruned: 1 })
      const left = await db.db.select({ requestId: usageEvents.requestId }).from(usageEvents).where(sql`${usageEvents.attempts} is not null`)
      expect(left).toEqual([{ requestId: 'dev_new' }])
    } finally {
      await db.close()
    }
  })
})
