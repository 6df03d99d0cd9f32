import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMockProvider } from '@switchyard/mock-provider'
import { captureLogs, makeTempDir } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTableApp, buildTestApp, closedPortUrl, internalHeaders, PROVIDER_KEY } from '../helpers/build-test-app.js'

describe('GET /v1/models', () => {
  it('lists every alias of the routing table in OpenAI\'s shape, owned by its provider', async () => {
    const before = Math.floor(Date.now() / 1000)
    const app = await buildTestApp(await closedPortUrl())
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: internalHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json<{ object: string, data: Array<{ id: string, object: string, created: number, owned_by: string }> }>()
    expect(body.object).toBe('list')
    expect(body.data.map((m) => m.id)).toEqual(['mock-gpt', 'mock-gpt-mini', 'fast'])
    for (const model of body.data) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'mock' })
      expect(model.created).toBeGreaterThanOrEqual(before)
      expect(model.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    }
    // Boot time, not request time: the same on every call.
    const again = await app.inject({ method: 'GET', url: '/v1/models', headers: internalHeaders })
    expect(again.json()).toEqual(body)
  })
})

describe('GET /v1/models with an optional provider whose key is unset', () => {
  it('lists only routable aliases, serves the rest from what remains, 404s the unroutable, and warns once naming the variable', async () => {
    const mock = await startMockProvider()
    onTestFinished(async () => { await mock.close() })
    const file = join(makeTempDir('router-routes'), 'routes.json')
    writeFileSync(file, JSON.stringify({
      providers: {
        mock: { type: 'openai', baseUrl: mock.baseUrl, apiKeyEnv: 'MOCK_PROVIDER_API_KEY' },
        paid: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'PAID_PROVIDER_KEY', optional: true }
      },
      models: {
        'paid-only': [{ provider: 'paid', model: 'big-model' }],
        mixed: [{ provider: 'paid', model: 'big-model' }, { provider: 'mock', model: 'mock-gpt' }],
        'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }]
      }
    }))
    const logs = captureLogs()
    const app = await buildTableApp(file, { LOG_LEVEL: 'info' }, { logStream: logs.stream })

    const list = await app.inject({ method: 'GET', url: '/v1/models', headers: internalHeaders })
    expect(list.json<{ data: Array<{ id: string, owned_by: string }> }>().data.map((m) => [m.id, m.owned_by])).toEqual([['mixed', 'mock'], ['mock-gpt', 'mock']])

    const ask = async (model: string) => await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: { model, messages: [{ role: 'user', content: 'hi' }] } })
    const unroutable = await ask('paid-only')
    expect(unroutable.statusCode).toBe(404)
    expect(unroutable.json()).toMatchObject({ error: { code: 'MODEL_NOT_FOUND' } })
    const mixed = await ask('mixed')
    expect(mixed.statusCode).toBe(200)
    expect(mixed.headers['x-switchyard-deployment']).toBe('mock/mock-gpt')
    expect(mixed.headers['x-switchyard-attempts']).toBe('1') // the skipped deployment is never tried

    const warnings = logs.records().filter((r) => r.provider === 'paid' && r.level === 40)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ apiKeyEnv: 'PAID_PROVIDER_KEY' })
    expect(String(warnings[0]?.msg)).toContain('PAID_PROVIDER_KEY')
    expect(logs.text()).not.toContain(PROVIDER_KEY)
  })
})
