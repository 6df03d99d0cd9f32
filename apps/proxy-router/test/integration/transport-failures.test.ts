import { faults } from '@switchyard/mock-provider'
import { startBlackhole } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, closedPortUrl, internalHeaders } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

const completion = (extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], ...extra })

describe('provider unreachable or misbehaving', () => {
  it('a refused connection is 502 PROVIDER_UNAVAILABLE naming the provider', async () => {
    const app = await buildTestApp(await closedPortUrl())
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_UNAVAILABLE', message: 'The provider "mock" is unavailable.', details: { provider: 'mock' } } })
    expect(res.headers['x-should-retry']).toBe('true')
    expect(res.headers['x-switchyard-provider']).toBeUndefined()
  })

  it('a provider that accepts the connection but never answers is 504 PROVIDER_TIMEOUT after PROVIDER_HEADERS_TIMEOUT_MS', async () => {
    const blackhole = await startBlackhole()
    onTestFinished(async () => { await blackhole.close() })
    const app = await buildTestApp(`${blackhole.url}/v1`, { PROVIDER_HEADERS_TIMEOUT_MS: '300' })
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(504)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_TIMEOUT', details: { provider: 'mock', timeout: 'headers' } } })
    expect(performance.now() - started).toBeLessThan(3000)
    expect(blackhole.connections).toBe(1)
  })

  it('a 200 that is not JSON (a web page) is 502 PROVIDER_BAD_RESPONSE', async () => {
    const mock = await startMock()
    mock.enqueue(faults.status(200, '<html><body>Welcome to nginx!</body></html>', { 'content-type': 'text/html' }))
    const app = await buildTestApp(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_BAD_RESPONSE', details: { provider: 'mock', providerStatus: 200 } } })
  })

  it('a stream request answered with JSON instead of SSE is 502 PROVIDER_BAD_RESPONSE, not a broken stream', async () => {
    const mock = await startMock()
    mock.enqueue(faults.status(200, { choices: [] }))
    const app = await buildTestApp(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion({ stream: true }) })
    expect(res.statusCode).toBe(502)
    expect(res.headers['content-type']).toContain('application/json')
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_BAD_RESPONSE' } })
  })
})
