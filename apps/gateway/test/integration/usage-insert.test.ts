import { createDb, runMigrations, type DbHandle } from '@switchyard/db'
import { apiKeys, usageEvents } from '@switchyard/db/schema'
import { createTestDatabase, infraFor } from '@switchyard/testing'
import { asc } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { insertUsageRows } from '../../src/usage/insert-usage-rows.js'

const infra = await infraFor('usage row insert on Postgres', ['postgres'])

// Strings that could end a value, a row or the batch early if the parameter were not escaped,
// or that JSON spells with escapes: each must come back exactly as it went in.
const hostile = ['plain', 'quote " inside', 'back\\slash', 'comma, and {braces}', 'NULL', '', 'ünïcødé ☃', '\\"}', 'a\nnewline', '"}],[{"model":"forged"', '\\u0041 is not an escape', 'tab\tand\u2028separator', 'null']

async function roundTrip (handle: DbHandle): Promise<void> {
  await runMigrations(handle)
  const [key] = await handle.db.insert(apiKeys).values({ name: 'k', keyHash: 'h'.repeat(64), keyPrefix: 'sk-sy-x' }).returning({ id: apiKeys.id })
  const created = new Date('2026-11-02T03:04:05.678Z')
  const rows = hostile.map((text, i) => ({
    apiKeyId: key!.id,
    requestId: `req_${i}`,
    correlationId: text,
    model: text === '' ? 'm' : text,
    errorCode: i % 2 === 0 ? null : text,
    statusCode: i % 2 === 0 ? 200 : 502,
    latencyMs: i,
    ttfbMs: i % 3 === 0 ? null : i * 2,
    promptTokens: i,
    completionTokens: 2 * i,
    totalTokens: 3 * i,
    estimated: i % 2 === 1,
    streamed: i % 3 === 1,
    attempts: i % 2 === 0 ? null : [{ deployment: text, code: 'PROVIDER_AUTH_FAILED', upstreamStatus: 401, durationMs: 3 }],
    ...(i === 0 ? { createdAt: created } : {})
  }))
  await insertUsageRows(handle.db, rows)
  // A retried batch (same request ids) changes nothing: exactly once.
  await insertUsageRows(handle.db, rows.map((r) => ({ ...r, latencyMs: 999 })))
  const stored = await handle.db.select().from(usageEvents).orderBy(asc(usageEvents.id))
  expect(stored).toHaveLength(rows.length)
  for (const [i, row] of rows.entries()) {
    expect(stored[i]).toMatchObject({
      requestId: row.requestId,
      correlationId: row.correlationId,
      model: row.model,
      errorCode: row.errorCode,
      statusCode: row.statusCode,
      latencyMs: row.latencyMs,
      ttfbMs: row.ttfbMs,
      totalTokens: row.totalTokens,
      estimated: row.estimated,
      streamed: row.streamed,
      attempts: row.attempts,
      endpoint: 'chat.completions',
      userId: null
    })
  }
  expect(stored[0]?.createdAt.toISOString()).toBe(created.toISOString())
  expect(Math.abs((stored[1]?.createdAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000)
}

describe('usage rows written as one json_to_recordset insert per batch', () => {
  it.skipIf(!infra.ok)('round-trips hostile strings, nulls, JSON attempts and timestamps on Postgres, exactly once', async () => {
    const db = await createTestDatabase('usage_insert')
    const handle = await createDb({ url: db.url })
    try {
      await roundTrip(handle)
    } finally {
      await handle.close()
      await db.drop()
    }
  })

  it('does the same on the embedded PGlite', async () => {
    const handle = await createDb({ dataDir: 'memory://' })
    try {
      await roundTrip(handle)
    } finally {
      await handle.close()
    }
  })
})
