import { startMockProvider, type StartedMockProvider } from '@switchyard/mock-provider'
import { infraFor, startBlackhole, testDatabaseAdminUrl, type Blackhole } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, HEALTH_TOKEN, timed } from '../helpers/build-test-app.js'
import { PROVIDER_KEY, startRealRouter, untilProbed } from '../helpers/real-router.js'
import { startStandIn } from '../helpers/stand-ins.js'

const infra = await infraFor('health: providers through the real router', ['postgres'])

async function blackhole (): Promise<Blackhole> {
  const hole = await startBlackhole()
  onTestFinished(async () => { await hole.close() })
  return hole
}

async function mockProvider (apiKey: string = PROVIDER_KEY): Promise<StartedMockProvider> {
  const mock = await startMockProvider({ apiKey })
  onTestFinished(async () => { await mock.close() })
  return mock
}

interface Report {
  status: string
  checks: Record<string, { ok: boolean, error?: string }>
  providers: Array<{ id: string, state: string, reachable: boolean, error: { code: string, message: string } | null, cooldowns: unknown[] }>
}

describe('GET /v1/health with providers behind the real proxy-router', () => {
  it('Postgres, Redis and the provider silent: answers within 1.5 s with each marked down, 100 callers cost one connection per dependency', async () => {
    const database = await blackhole()
    const redis = await blackhole()
    const provider = await blackhole()
    const router = await startRealRouter({ silent: `${provider.url}/v1` }, { PROVIDER_PROBE_TIMEOUT_MS: '300' })
    await untilProbed(router)
    const gateway = await startStandIn()
    const app = await buildTestApp({
      HEALTH_PROBE_TIMEOUT_MS: 500,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${database.port}/x`,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      GATEWAY_URL: gateway.url,
      ROUTER_URL: router.url
    })

    const { ms, value: res } = await timed(async () => await app.inject({ method: 'GET', url: '/v1/health' }))

    expect(ms).toBeLessThan(1500)
    expect(res.statusCode).toBe(503)
    const body = res.json<Report>()
    expect(body.status).toBe('unhealthy')
    expect(body.checks['database']).toMatchObject({ ok: false, error: 'timed out after 500 ms' })
    expect(body.checks['redis']).toMatchObject({ ok: false, error: 'timed out after 500 ms' })
    expect(body.checks['proxy-router']).toMatchObject({ ok: true })
    expect(body.providers).toEqual([expect.objectContaining({ id: 'silent', state: 'down', reachable: false, error: { code: 'PROVIDER_TIMEOUT', message: 'no answer within 300 ms' } })])

    const before = { database: database.connections, redis: redis.connections, router: router.connections.count }
    const answers = await Promise.all(Array.from({ length: 100 }, async () => await app.inject({ method: 'GET', url: '/v1/health' })))
    expect(answers.every((a) => a.statusCode === 503)).toBe(true)
    expect(database.connections - before.database).toBe(1)
    expect(redis.connections - before.redis).toBe(1)
    // One round: one connection for /readyz, one for /internal/providers.
    expect(router.connections.count - before.router).toBe(2)
    // The provider was probed once by the router, never by a health request.
    expect(provider.connections).toBe(1)
  })

  it.skipIf(!infra.ok)('never calls a completion to probe, reports a provider refusing the key as down with a clear code, and stays up (degraded) while another serves', async () => {
    const good = await mockProvider()
    const revoked = await mockProvider('sk-a-key-the-router-does-not-have')
    const router = await startRealRouter({ good: good.baseUrl, revoked: revoked.baseUrl }, { PROVIDER_PROBE_TIMEOUT_MS: '5000' })
    await untilProbed(router)
    const gateway = await startStandIn()
    const app = await buildTestApp({ DATABASE_URL: testDatabaseAdminUrl, GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_PROBE_TIMEOUT_MS: 3000 })

    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/health' })
      expect(res.statusCode).toBe(200)
      const body = res.json<Report>()
      expect(body.status).toBe('degraded')
      expect(body.providers).toEqual([
        expect.objectContaining({ id: 'good', state: 'up', reachable: true, error: null }),
        expect.objectContaining({ id: 'revoked', state: 'down', reachable: false, error: { code: 'PROVIDER_AUTH_FAILED', message: 'model list answered HTTP 401 (invalid_api_key)' } })
      ])
      expect(res.body).not.toContain(PROVIDER_KEY)
    }
    // The round as gauges on the service's registry (served on METRICS_PORT).
    const metrics = await app.metrics.registry.metrics()
    expect(metrics).toContain('switchyard_health_dependency_up{dependency="provider:good",service="health"} 1')
    expect(metrics).toContain('switchyard_health_dependency_up{dependency="provider:revoked",service="health"} 0')
    expect(metrics).toContain('switchyard_health_dependency_up{dependency="database",service="health"} 1')
    expect(metrics).toMatch(/switchyard_health_dependency_latency_seconds\{dependency="provider:good",service="health"\} \d/)
    expect(metrics).toMatch(/switchyard_health_status\{service="health"\} 1/)
    // The providers saw the router's model-list probes and nothing else: never a completion.
    for (const mock of [good, revoked]) {
      expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models'])
    }
  })

  it('the health token reads the router\'s provider report but cannot call a provider', async () => {
    const good = await mockProvider()
    const router = await startRealRouter({ good: good.baseUrl })
    const headers = { 'x-internal-token': HEALTH_TOKEN, 'content-type': 'application/json' }

    const read = await fetch(`${router.url}/internal/providers`, { headers })
    expect(read.status).toBe(200)
    const call = await fetch(`${router.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) })
    expect(call.status).toBe(401)
    expect((await call.json() as { error: { code: string } }).error.code).toBe('INVALID_INTERNAL_TOKEN')
    await untilProbed(router)
    expect(good.requests.filter((r) => r.path !== '/v1/models')).toEqual([])
  })

  it.skipIf(!infra.ok)('lists the providers it knew as unknown once the router is down, and says the router is down', async () => {
    const good = await mockProvider()
    const router = await startRealRouter({ good: good.baseUrl }, { PROVIDER_PROBE_TIMEOUT_MS: '5000' })
    await untilProbed(router)
    const gateway = await startStandIn()
    const app = await buildTestApp({ DATABASE_URL: testDatabaseAdminUrl, GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_PROBE_TIMEOUT_MS: 3000 })
    const first = await app.inject({ method: 'GET', url: '/v1/health' })
    expect(first.json<Report>()).toMatchObject({ status: 'healthy', providers: [{ id: 'good', state: 'up' }] })

    await router.app.close()
    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(503)
    expect(res.json<Report>()).toMatchObject({
      status: 'unhealthy',
      checks: { 'proxy-router': { ok: false, error: 'ECONNREFUSED' } },
      providers: [{ id: 'good', state: 'unknown', reachable: false }]
    })
  })
})
