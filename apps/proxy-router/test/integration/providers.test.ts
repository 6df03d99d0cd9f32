import { readFileSync, writeFileSync } from 'node:fs'
import { startBlackhole } from '@switchyard/testing'
import { faults } from '@switchyard/mock-provider'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTableApp, internalHeaders, PROVIDER_KEY, writeTableFile } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

const HEALTH_TOKEN = 'test-health-token-0123456789'
const healthHeaders = { 'x-internal-token': HEALTH_TOKEN }
const completion = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }

interface ProviderEntry {
  id: string
  kind: string
  optional: boolean
  probe: { state: string, checkedAt: string | null, latencyMs: number | null, since: string | null, error: { code: string, message: string } | null }
  traffic: { requests: number, failures: number, errorRate: number, lastError: { code: string, message: string, at: string } | null }
  deployments: Array<{ id: string, model: string, coolingDownUntil: string | null, reason: string | null }>
}
interface ProviderList {
  providers: ProviderEntry[]
  errorGroups: Array<{ code: string, provider: string | null, count: number, firstSeen: string, lastSeen: string, message: string }>
}

async function providers (app: FastifyInstance, headers: Record<string, string> = healthHeaders): Promise<ProviderList> {
  const res = await app.inject({ method: 'GET', url: '/internal/providers', headers })
  expect(res.statusCode).toBe(200)
  return res.json<ProviderList>()
}

/** Reads /internal/providers until every provider has been probed (the first read starts the probes). */
async function probed (app: FastifyInstance): Promise<ProviderList> {
  for (let i = 0; i < 200; i++) {
    const list = await providers(app)
    if (list.providers.every((p) => p.probe.checkedAt !== null)) return list
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('providers were never probed')
}

const byId = (list: ProviderList, id: string): ProviderEntry => {
  const entry = list.providers.find((p) => p.id === id)
  if (entry === undefined) throw new Error(`no provider ${id}`)
  return entry
}

describe('GET /internal/providers', () => {
  it('probes each provider with its model list only, never a completion, and reports up/down with clear codes', async () => {
    const good = await startMock({ apiKey: PROVIDER_KEY })
    const wrongKey = await startMock({ apiKey: 'sk-some-other-key-entirely' })
    const anthropic = await startMock()
    const file = writeTableFile({ good: good.baseUrl, wrongkey: wrongKey.baseUrl }, {
      'mock-gpt': [{ provider: 'good', model: 'mock-gpt' }, { provider: 'wrongkey', model: 'mock-gpt' }]
    })
    // The helper writes openai-type providers; add an anthropic one, optional, on the same table.
    const table = JSON.parse(readFileSync(file, 'utf8')) as { providers: Record<string, unknown>, models: Record<string, unknown[]> }
    table.providers['claude'] = { type: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: 'MOCK_PROVIDER_API_KEY', optional: true }
    table.models['claude'] = [{ provider: 'claude', model: 'claude-x' }]
    writeFileSync(file, JSON.stringify(table))
    // A generous probe timeout: this test is about what is probed, not how fast (shared CI machine).
    const app = await buildTableApp(file, { HEALTH_TOKEN, PROVIDER_PROBE_TIMEOUT_MS: '5000' })

    const first = await providers(app)
    expect(first.providers.map((p) => p.probe.state)).toEqual(['unknown', 'unknown', 'unknown'])

    const list = await probed(app)
    expect(byId(list, 'good')).toMatchObject({
      kind: 'openai',
      optional: false,
      probe: { state: 'up', error: null },
      deployments: [{ id: 'good/mock-gpt', model: 'mock-gpt', coolingDownUntil: null, reason: null }]
    })
    expect(byId(list, 'good').probe.latencyMs).toBeGreaterThanOrEqual(0)
    expect(byId(list, 'wrongkey').probe).toMatchObject({
      state: 'down',
      error: { code: 'PROVIDER_AUTH_FAILED', message: 'model list answered HTTP 401 (invalid_api_key)' }
    })
    expect(byId(list, 'claude')).toMatchObject({ kind: 'anthropic', optional: true, probe: { state: 'up' } })
    const body = JSON.stringify(list)
    expect(body).not.toContain(PROVIDER_KEY)
    expect(body).not.toContain('127.0.0.1')

    for (const mock of [good, wrongKey, anthropic]) {
      expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models'])
    }
    expect(good.requests[0]?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)
    expect(anthropic.requests[0]?.headers).toMatchObject({ 'x-api-key': PROVIDER_KEY, 'anthropic-version': '2023-06-01' })
    expect(anthropic.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('100 concurrent reads cause at most one probe per provider, and a silent provider holds one connection at most', async () => {
    const mock = await startMock()
    const hole = await startBlackhole()
    onTestFinished(async () => { await hole.close() })
    const app = await buildTableApp(writeTableFile({ mock: mock.baseUrl, silent: `${hole.url}/v1` }, {
      'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }, { provider: 'silent', model: 'mock-gpt' }]
    }), { HEALTH_TOKEN, PROVIDER_PROBE_TIMEOUT_MS: '3000' })

    const answers = await Promise.all(Array.from({ length: 100 }, async () => await app.inject({ method: 'GET', url: '/internal/providers', headers: healthHeaders })))
    expect(answers.every((a) => a.statusCode === 200)).toBe(true)
    const list = await probed(app)
    // A second burst within the interval: served from the cache.
    await Promise.all(Array.from({ length: 100 }, async () => await app.inject({ method: 'GET', url: '/internal/providers', headers: healthHeaders })))

    expect(mock.requests.filter((r) => r.path === '/v1/models')).toHaveLength(1)
    expect(mock.stats.requests).toBe(1)
    expect(hole.connections).toBe(1)
    expect(byId(list, 'silent').probe).toMatchObject({ state: 'down', error: { code: 'PROVIDER_TIMEOUT', message: 'no answer within 3000 ms' } })
  })

  it('counts real traffic per provider and groups its failures, without the provider key', async () => {
    const mock = await startMock({ apiKey: PROVIDER_KEY })
    const app = await buildTableApp(writeTableFile({ mock: mock.baseUrl }, { 'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }] }), {
      HEALTH_TOKEN, ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1', COOLDOWN_FAILURE_THRESHOLD: '2'
    })
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion })).statusCode).toBe(200)
    mock.enqueue(faults.invalidApiKey(), faults.invalidApiKey())
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion })).statusCode).toBe(502)
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion })).statusCode).toBe(502)

    const list = await providers(app)
    const entry = byId(list, 'mock')
    expect(entry.traffic).toMatchObject({ requests: 3, failures: 2, lastError: { code: 'PROVIDER_AUTH_FAILED', message: 'call answered HTTP 401 (invalid_api_key)' } })
    expect(entry.traffic.errorRate).toBeCloseTo(2 / 3)
    expect(entry.deployments[0]).toMatchObject({ id: 'mock/mock-gpt', reason: 'auth_failed' })
    expect(entry.deployments[0]?.coolingDownUntil).not.toBeNull()
    expect(list.errorGroups).toEqual([expect.objectContaining({ code: 'PROVIDER_AUTH_FAILED', provider: 'mock', count: 2, message: 'call answered HTTP 401 (invalid_api_key)' })])
    expect(JSON.stringify(list)).not.toContain(PROVIDER_KEY.slice(3))
  })
})

describe('HEALTH_TOKEN on the router', () => {
  it('reads /internal/providers and /internal/deployments but cannot call a provider through /v1', async () => {
    const mock = await startMock()
    const app = await buildTableApp(writeTableFile({ mock: mock.baseUrl }, { 'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }] }), { HEALTH_TOKEN })

    expect((await app.inject({ method: 'GET', url: '/internal/providers', headers: healthHeaders })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/internal/deployments', headers: healthHeaders })).statusCode).toBe(200)
    for (const req of [
      { method: 'POST' as const, url: '/v1/chat/completions', payload: completion },
      { method: 'POST' as const, url: '/v1/embeddings', payload: { model: 'mock-gpt', input: 'x' } },
      { method: 'GET' as const, url: '/v1/models' }
    ]) {
      const res = await app.inject({ ...req, headers: healthHeaders })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
    }
    // The internal token still opens everything.
    expect((await app.inject({ method: 'GET', url: '/internal/providers', headers: internalHeaders })).statusCode).toBe(200)
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion })).statusCode).toBe(200)
    await app.providerHealth.probes.settled()
    expect(mock.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1)
  })

  it('is refused everywhere when the router has no HEALTH_TOKEN configured', async () => {
    const mock = await startMock()
    const app = await buildTableApp(writeTableFile({ mock: mock.baseUrl }, { 'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }] }))
    const res = await app.inject({ method: 'GET', url: '/internal/providers', headers: healthHeaders })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
  })
})
