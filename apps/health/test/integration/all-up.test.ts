import { infraFor, testDatabaseAdminUrl, testRedisUrl } from '@switchyard/testing'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { routerOk, startStandIn } from '../helpers/stand-ins.js'

const infra = await infraFor('health: all dependencies up', ['postgres', 'redis'])

/** Sessions the health probes left behind in Postgres (they identify as switchyard-health). */
async function lingeringProbeSessions (): Promise<number> {
  const sql = postgres(testDatabaseAdminUrl, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from pg_stat_activity where application_name = 'switchyard-health'`
    return row?.n ?? 0
  } finally {
    await sql.end({ timeout: 1 })
  }
}

describe.skipIf(!infra.ok)('GET /v1/health with every dependency up', () => {
  it('answers 200 "ok" with every check ok, the database checked directly', async () => {
    const gateway = await startStandIn()
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({
      DATABASE_URL: testDatabaseAdminUrl,
      REDIS_URL: testRedisUrl,
      GATEWAY_URL: gateway.url,
      ROUTER_URL: router.url
    })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      status: 'healthy',
      version: 'test',
      checks: {
        database: { ok: true, kind: 'postgres' },
        redis: { ok: true },
        gateway: { ok: true },
        'proxy-router': { ok: true }
      }
    })
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'gateway', 'proxy-router', 'redis'])
    for (const check of Object.values(body.checks) as Array<{ latencyMs: number, error?: string }>) {
      expect(check.latencyMs).toBeGreaterThanOrEqual(0)
      expect(check.error).toBeUndefined()
    }
  })

  it('serves the same report at GET /health', async () => {
    const gateway = await startStandIn()
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ DATABASE_URL: testDatabaseAdminUrl, REDIS_URL: testRedisUrl, GATEWAY_URL: gateway.url, ROUTER_URL: router.url })

    const res = await app.inject({ method: 'GET', url: '/health' })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'healthy', checks: { database: { ok: true }, redis: { ok: true } } })
  })

  it('leaves no Postgres session open after a check', async () => {
    const gateway = await startStandIn()
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ DATABASE_URL: testDatabaseAdminUrl, GATEWAY_URL: gateway.url, ROUTER_URL: router.url })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })
    expect(res.json().checks.database.ok).toBe(true)

    // The probe ends its client before answering; the server may take a moment to reap the backend.
    await expect.poll(lingeringProbeSessions, { timeout: 3000, interval: 50 }).toBe(0)
  })

  it('opens a fresh connection per check to the gateway and router (no keep-alive reuse)', async () => {
    const gateway = await startStandIn()
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ DATABASE_URL: testDatabaseAdminUrl, GATEWAY_URL: gateway.url, ROUTER_URL: router.url })

    await app.inject({ method: 'GET', url: '/v1/health' })
    await app.inject({ method: 'GET', url: '/v1/health' })

    expect(gateway.connections.count).toBe(2)
    // Per round one for /readyz and one for /internal/providers.
    expect(router.connections.count).toBe(4)
  })
})
