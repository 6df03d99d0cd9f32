import { inArray, sql } from 'drizzle-orm'
import { usageEvents } from '@switchyard/db/schema'
import { infraFor, startThrowawayPostgres, throwawayPostgresUnavailable, type ThrowawayPostgres } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js'

// The gateway's database is a throwaway Postgres this file starts, stops and restarts itself
// (packages/testing); the machine's shared server is never touched. Redis is the shared one.

const infra = await infraFor('usage while Postgres is down', ['redis'])
const unavailable = throwawayPostgresUnavailable()
if (unavailable !== undefined && (process.env['CI'] === 'true' || process.env['CI'] === '1')) throw new Error(`CI=true: ${unavailable}`)
if (unavailable !== undefined) console.warn(`[switchyard] SKIPPED suite "usage while Postgres is down": ${unavailable}`)

const jsonBody = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hello there' }] })
const streamBody = JSON.stringify({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'a b c d e f' }] })

async function until (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.skipIf(!infra.ok || unavailable !== undefined)('usage accounting while Postgres is down', () => {
  let pg: ThrowawayPostgres
  beforeAll(async () => { pg = await startThrowawayPostgres() }, 60_000)
  afterAll(async () => { await pg?.destroy() })

  /** A stack on the throwaway server with a key already cached (requests then need no database). */
  async function stackWithKey (gatewayEnv: Record<string, string>, extra: Partial<StackOptions> = {}): Promise<{ stack: Stack, send: (body?: string) => Promise<string> }> {
    // Creating the key bumps auth_revision; a revision poll landing after the key was cached would
    // drop the cache (as it must in production), and with Postgres stopped the next request could
    // not authenticate. Polling once a minute keeps the poll out of these tests.
    const stack = await startStack({ backend: 'postgres', databaseUrl: pg.url, gatewayEnv: { RATE_LIMIT_MAX: '100000', AUTH_REVISION_POLL_MS: '60000', ...gatewayEnv }, ...extra })
    const { key } = await stack.createKey('outage')
    const send = async (body = jsonBody): Promise<string> => {
      const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body })
      const text = await res.text()
      expect(res.status, text).toBe(200)
      return res.headers.get('x-request-id')!
    }
    await send()
    await stack.gateway.usage.flush(10_000)
    return { stack, send }
  }

  async function countsById (stack: Stack, ids: string[]): Promise<Map<string, number>> {
    const rows = await stack.db.db.select({ id: usageEvents.requestId, n: sql<number>`count(*)::int` })
      .from(usageEvents).where(inArray(usageEvents.requestId, ids)).groupBy(usageEvents.requestId)
    return new Map(rows.map((r) => [r.id, r.n]))
  }

  it('serves requests while Postgres is stopped and, once it is back, has every usage event in the table exactly once', async () => {
    const { stack, send } = await stackWithKey({ USAGE_FLUSH_INTERVAL_MS: '20', USAGE_BATCH_MAX_ROWS: '7' })
    try {
      const ids = [await send(), await send(streamBody)]
      await pg.stop()
      for (let round = 0; round < 5; round++) {
        ids.push(...await Promise.all([send(), send(streamBody), send(), send()]))
      }
      await until('a failed usage write', () => stack.gateway.usage.stats.failedFlushes > 0)
      expect(stack.gateway.usage.stats.queued).toBeGreaterThan(0)
      await pg.start()
      expect(await stack.gateway.usage.flush(30_000)).toBe(true)
      const counts = await countsById(stack, ids)
      expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([])
      expect(stack.gateway.usage.stats.dropped).toBe(0)
    } finally {
      await stack.close()
    }
  }, 120_000)

  it('writes what is still queued when the gateway shuts down gracefully', async () => {
    // A flush interval far beyond the test: only the shutdown can write these.
    const { stack, send } = await stackWithKey({ USAGE_FLUSH_INTERVAL_MS: '600000', USAGE_BATCH_MAX_ROWS: '1000' })
    try {
      const ids = await Promise.all(Array.from({ length: 10 }, async () => await send()))
      expect(stack.gateway.usage.stats.queued).toBe(10)
      await stack.gateway.close()
      const counts = await countsById(stack, ids)
      expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([])
    } finally {
      await stack.close()
    }
  }, 60_000)

  it('with Postgres down, a full buffer drops new events, counts them and logs the count; shutdown stops trying at the grace period', async () => {
    const lines: string[] = []
    const { stack, send } = await stackWithKey(
      { USAGE_FLUSH_INTERVAL_MS: '20', USAGE_BUFFER_MAX_EVENTS: '3', LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '3000' },
      { logStream: { write: (line) => { lines.push(line) } } }
    )
    try {
      await pg.stop()
      for (let i = 0; i < 8; i++) await send()
      expect(stack.gateway.usage.stats).toMatchObject({ queued: 3, dropped: 5 })
      const started = Date.now()
      await stack.gateway.close()
      // Generous bound: "does not hang", not a speed assertion.
      expect(Date.now() - started).toBeLessThan(20_000)
      expect(stack.gateway.usage.stats).toMatchObject({ queued: 0, dropped: 8 })
      const drops = lines.map((l) => JSON.parse(l) as { msg: string, dropped?: number, level: number }).filter((l) => l.msg === 'usage events dropped')
      expect(drops.every((l) => l.level === 40)).toBe(true)
      expect(drops.reduce((n, l) => n + (l.dropped ?? 0), 0)).toBe(8)
    } finally {
      await pg.start()
      await stack.close()
    }
  }, 60_000)
})
