import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createTestDatabase, infraFor, startTcpProxy, type TcpProxy, type TestDatabase } from '@switchyard/testing'
import { createDb, type DbHandle } from '../src/index.js'
import { apiKeys } from '../src/schema/index.js'

const infra = await infraFor('db query deadline', ['postgres'])

/** The test database's URL with host:port replaced by the proxy's. */
function viaProxy (url: string, proxy: TcpProxy): string {
  const u = new URL(url)
  u.hostname = '127.0.0.1'
  u.port = String(proxy.port)
  return u.toString()
}

async function timed<T> (p: Promise<T>): Promise<{ ms: number, result: PromiseSettledResult<T> }> {
  const t0 = performance.now()
  const [result] = await Promise.allSettled([p])
  return { ms: performance.now() - t0, result: result! }
}

describe.skipIf(!infra.ok)('a Postgres that stops answering on open connections', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase('db_deadline')
    const setup = await createDb({ url: testDb.url, migrate: true })
    await setup.close()
  })
  afterAll(async () => { await testDb.drop() })

  async function open (queryTimeoutMs: number): Promise<{ proxy: TcpProxy, handle: DbHandle }> {
    const [host, port] = [new URL(testDb.url).hostname, Number(new URL(testDb.url).port || 5432)]
    const proxy = await startTcpProxy({ host, port })
    const handle = await createDb({ url: viaProxy(testDb.url, proxy), pool: { max: 2, queryTimeoutMs, connectTimeoutS: 2 } })
    onTestFinished(async () => {
      proxy.resume()
      await handle.close()
      await proxy.close()
    })
    return { proxy, handle }
  }

  it('fails a query with DB_QUERY_TIMEOUT after queryTimeoutMs instead of hanging', async () => {
    const { proxy, handle } = await open(500)
    await handle.db.select().from(apiKeys).limit(1) // connection open and healthy
    proxy.stall()
    const { ms, result } = await timed(handle.db.select().from(apiKeys).limit(1))
    expect(result.status).toBe('rejected')
    const err = (result as PromiseRejectedResult).reason as { code?: string, cause?: { code?: string } }
    expect(err.cause?.code ?? err.code).toBe('DB_QUERY_TIMEOUT')
    expect(ms).toBeGreaterThanOrEqual(450)
    expect(ms).toBeLessThan(5000)
  })

  it('drops the stalled connection: the next query runs on a new one once the server answers again', async () => {
    const { proxy, handle } = await open(500)
    await handle.ping()
    const before = proxy.connections
    proxy.stall()
    await expect(handle.ping()).rejects.toThrow()
    // The stuck connection is closed from our side (after the retirement grace), never reused.
    const deadline = Date.now() + 10_000
    while (proxy.closedByClient < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(proxy.closedByClient).toBeGreaterThanOrEqual(1)
    proxy.resume()
    await handle.ping()
    expect(proxy.connections).toBeGreaterThan(before)
  })

  it('also bounds a query waiting for a connection, and a transaction', async () => {
    const { proxy, handle } = await open(500)
    await handle.ping()
    proxy.stall()
    const results = await Promise.allSettled([
      handle.ping(), handle.ping(), handle.ping(), // pool max 2: the third waits in the queue
      handle.db.transaction(async (tx) => { await tx.execute(sql`select 1`) })
    ])
    for (const r of results) expect(r.status).toBe('rejected')
  })

  it('leaves a healthy database alone', async () => {
    // A deadline no healthy query comes near, even on a loaded CI machine.
    const { handle } = await open(5000)
    const rows = await Promise.all(Array.from({ length: 20 }, async () => await handle.db.execute(sql`select 1 as one`)))
    expect(rows).toHaveLength(20)
    await handle.db.transaction(async (tx) => { await tx.execute(sql`select 1`) })
  })
})
