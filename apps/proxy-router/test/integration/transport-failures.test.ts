import { faults } from '@switchyard/mock-provider'
import { startBlackhole } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, closedPortUrl, internalHeaders } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

// One attempt per request: these tests are about how one provider answer is classified
// (retries and fallbacks: attempts.test.ts).
const oneAttempt = { ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1' }

const completion = (extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], ...extra })

describe('provider unreachable or misbehaving', () => {
  it('a refused connection is 502 PROVIDER_UNAVAILABLE naming the provider', async () => {
    const app = await buildTestApp(await closedPortUrl(), oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_UNAVAILABLE', message: 'The provider "mock" is unavailable.', details: { provider: 'mock' } } })
    expect(res.headers['x-should-retry']).toBe('true')
    expect(res.headers['x-switchyard-provider']).toBeUndefined()
  })

  it('a provider that accepts the connection but never answers is 504 PROVIDER_TIMEOUT after PROVIDER_HEADERS_TIMEOUT_MS', async () => {
    const blackhole = await startBlackhole()
    onTestFinished(async () => { await blackhole.close() })
    const app = await buildTestApp(`${blackhole.url}/v1`, { ...oneAttempt, PROVIDER_HEADERS_TIMEOUT_MS: '300' })
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
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_BAD_RESPONSE', details: { provider: 'mock', providerStatus: 200 } } })
  })

  it('a stream request answered with JSON instead of SSE is 502 PROVIDER_BAD_RESPONSE, not a broken stream', async () => {
    const mock = await startMock()
    mock.enqueue(faults.status(200, { choices: [] }))
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion({ stream: true }) })
    expect(res.statusCode).toBe(502)
    expect(res.headers['content-type']).toContain('application/json')
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_BAD_RESPONSE' } })
  })
})

describe('how much of a transport failure the client sees (UPSTREAM_ERROR_DETAIL)', () => {
  it('by default: the cause class and the provider id, never the host or port', async () => {
    const url = await closedPortUrl()
    const app = await buildTestApp(url, oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(502)
    const { error } = res.json<{ error: { details: Record<string, unknown> } }>()
    expect(error.details).toMatchObject({ provider: 'mock', cause: 'connection_refused', attempts: [{ deployment: 'mock/mock-gpt', code: 'PROVIDER_UNAVAILABLE', cause: 'connection_refused' }] })
    expect(error.details).not.toHaveProperty('host')
    expect(error.details).not.toHaveProperty('upstreamError')
    expect(res.body).not.toContain(new URL(url).port)
  })

  it('full: also the host, the port and the low-level error text', async () => {
    const url = await closedPortUrl()
    const app = await buildTestApp(url, { ...oneAttempt, UPSTREAM_ERROR_DETAIL: 'full' })
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.json()).toMatchObject({
      error: { details: { provider: 'mock', cause: 'connection_refused', host: '127.0.0.1', port: Number(new URL(url).port), upstreamError: expect.stringContaining('ECONNREFUSED') } }
    })
  })

  it('a name that does not resolve is a dns_failure', async () => {
    const app = await buildTestApp('http://provider.invalid/v1', oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: completion() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_UNAVAILABLE', details: { provider: 'mock', cause: 'dns_failure' } } })
    expect(res.body).not.toContain('provider.invalid')
  })
})
