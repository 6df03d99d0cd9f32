import { startBlackhole } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, closedPort, timed } from '../helpers/build-test-app.js'
import { routerOk, startSlammer, startStandIn } from '../helpers/stand-ins.js'

async function blackhole () {
  const hole = await startBlackhole()
  onTestFinished(async () => { await hole.close() })
  return hole
}

/** Gateway, Postgres and Redis that accept connections and never answer; a healthy router. */
async function silentDependencies () {
  const gatewayHole = await blackhole()
  const databaseHole = await blackhole()
  const redisHole = await blackhole()
  const router = await startStandIn(routerOk())
  const app = await buildTestApp({
    HEALTH_PROBE_TIMEOUT_MS: 300,
    GATEWAY_URL: gatewayHole.url,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${databaseHole.port}/x`,
    REDIS_URL: `redis://127.0.0.1:${redisHole.port}`,
    ROUTER_URL: router.url
  })
  return { app, gatewayHole, databaseHole, redisHole }
}

describe('GET /v1/health with dead dependencies', () => {
  it('answers 503 within about the probe timeout when dependencies accept connections and never answer', async () => {
    const { app } = await silentDependencies()

    const { ms, value: res } = await timed(async () => await app.inject({ method: 'GET', url: '/v1/health' }))

    expect(ms).toBeLessThan(1500)
    expect(res.statusCode).toBe(503)
    const body = res.json()
    expect(body.status).toBe('unhealthy')
    expect(body.checks.database).toMatchObject({ ok: false, kind: 'postgres', error: 'timed out after 300 ms' })
    expect(body.checks.redis).toMatchObject({ ok: false, error: 'timed out after 300 ms' })
    expect(body.checks.gateway).toMatchObject({ ok: false, error: 'timed out after 300 ms' })
    expect(body.checks['proxy-router']).toMatchObject({ ok: true })
    for (const name of ['database', 'redis', 'gateway']) {
      expect(body.checks[name].latencyMs).toBeGreaterThanOrEqual(290)
    }
  })

  it('makes exactly one connection attempt per dependency per health request', async () => {
    const { app, gatewayHole, databaseHole, redisHole } = await silentDependencies()

    await app.inject({ method: 'GET', url: '/v1/health' })
    expect([gatewayHole.connections, databaseHole.connections, redisHole.connections]).toEqual([1, 1, 1])

    await app.inject({ method: 'GET', url: '/v1/health' })
    expect([gatewayHole.connections, databaseHole.connections, redisHole.connections]).toEqual([2, 2, 2])
  })

  it('reports refused connections quickly, without waiting for the timeout, and never shows credentials', async () => {
    const port = await closedPort()
    const app = await buildTestApp({
      HEALTH_PROBE_TIMEOUT_MS: 5000,
      GATEWAY_URL: `http://127.0.0.1:${port}`,
      ROUTER_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: `postgres://postgres:db-s3cret-password@127.0.0.1:${port}/x`,
      REDIS_URL: `redis://:redis-s3cret-password@127.0.0.1:${port}`
    })

    const { ms, value: res } = await timed(async () => await app.inject({ method: 'GET', url: '/v1/health' }))

    expect(ms).toBeLessThan(2500)
    expect(res.statusCode).toBe(503)
    const body = res.json()
    for (const name of ['database', 'redis', 'gateway', 'proxy-router']) {
      expect(body.checks[name]).toMatchObject({ ok: false, error: 'ECONNREFUSED' })
    }
    expect(res.body).not.toContain('s3cret')
  })

  it('does not reconnect to a database that closes every connection during startup', async () => {
    const slammer = await startSlammer()
    const gateway = await startStandIn()
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({
      HEALTH_PROBE_TIMEOUT_MS: 1000,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${slammer.port}/x`,
      GATEWAY_URL: gateway.url,
      ROUTER_URL: router.url
    })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(503)
    expect(res.json().checks.database).toMatchObject({ ok: false, error: 'the server closed the connection during startup' })
    expect(slammer.connections).toBe(1)
  })

  it('reports a draining gateway (readyz 503) as down and the rest as ok', async () => {
    const gateway = await startStandIn((app) => {
      app.get('/readyz', async (_request, reply) => await reply.code(503).send({ status: 'shutting_down' }))
      app.get('/internal/db', async () => ({ ok: true, kind: 'pglite' }))
    })
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_TOKEN: 'test-health-token-0123456789' })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(503)
    expect(res.json().checks).toMatchObject({
      gateway: { ok: false, error: 'HTTP 503' },
      database: { ok: true, kind: 'embedded' },
      'proxy-router': { ok: true }
    })
  })

  it('concurrent health requests share one probe run: ten callers, one connection per dependency', async () => {
    const { app, gatewayHole, databaseHole, redisHole } = await silentDependencies()
    const answers = await Promise.all(Array.from({ length: 10 }, async () => await app.inject({ method: 'GET', url: '/v1/health' })))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(503))
    expect([gatewayHole.connections, databaseHole.connections, redisHole.connections]).toEqual([1, 1, 1])
  })
})
