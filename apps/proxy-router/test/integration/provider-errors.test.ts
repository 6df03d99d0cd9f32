import { faults } from '@switchyard/mock-provider'
import { describe, expect, it } from 'vitest'
import { buildTestApp, internalHeaders, PROVIDER_KEY } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

// One attempt per request: these tests are about how one provider answer is classified
// (retries and fallbacks: attempts.test.ts).
const oneAttempt = { ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1' }

const ask = (extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], ...extra })

describe('provider failures map to specific codes', () => {
  it.each([
    ['429 rate limit', () => faults.rateLimited({ retryAfterSeconds: 7 }), 429, 'PROVIDER_RATE_LIMITED', 'true'],
    ['429 insufficient_quota', () => faults.insufficientQuota(), 502, 'PROVIDER_QUOTA_EXCEEDED', 'false'],
    ['401 invalid api key', () => faults.invalidApiKey(), 502, 'PROVIDER_AUTH_FAILED', 'false'],
    ['401 user not found', () => faults.userNotFound(), 502, 'PROVIDER_AUTH_FAILED', 'false'],
    ['500 server error', () => faults.serverError(500), 502, 'PROVIDER_UNAVAILABLE', 'true'],
    ['400 context length', () => faults.contextLengthExceeded(), 400, 'CONTEXT_LENGTH_EXCEEDED', 'false']
  ])('%s → %i %s', async (_what, fault, status, code, shouldRetry) => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    mock.enqueue(fault())
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...internalHeaders, 'x-request-id': 'req_fault_test_01' }, payload: ask() })
    expect(res.statusCode).toBe(status)
    expect(res.headers['x-should-retry']).toBe(shouldRetry)
    const body = res.json<{ error: { code: string, details: Record<string, unknown>, request_id: string } }>()
    expect(body.error.code).toBe(code)
    expect(body.error.details['provider']).toBe('mock')
    expect(body.error.details['providerStatus']).toBeGreaterThanOrEqual(400)
    expect(body.error.request_id).toBe('req_fault_test_01')
    expect(res.headers['x-switchyard-provider']).toBeUndefined()
  })

  it('passes the provider\'s Retry-After through on a rate limit', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    mock.enqueue(faults.rateLimited({ retryAfterSeconds: 7 }))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.headers['retry-after']).toBe('7')
    expect(res.json()).toMatchObject({ error: { details: { retryAfterSeconds: 7 } } })
  })

  it('names the user-not-found case as the operator\'s provider key, not the client\'s', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    mock.enqueue(faults.userNotFound())
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.json()).toMatchObject({ error: { type: 'api_error', message: 'The provider "mock" rejected this gateway\'s credentials.', details: { providerStatus: 401 } } })
  })

  it('a provider refusing the configured key (a real key check, not a canned fault) → PROVIDER_AUTH_FAILED', async () => {
    const mock = await startMock({ apiKey: 'sk-the-key-the-provider-expects' })
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_AUTH_FAILED', details: { provider: 'mock', providerStatus: 401, providerCode: 'invalid_api_key' } } })
  })

  it('the configured key is accepted by a provider that checks it', async () => {
    const mock = await startMock({ apiKey: PROVIDER_KEY })
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(200)
  })

  it('a stream request that fails before the first byte gets the JSON envelope, not SSE', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    mock.enqueue(faults.rateLimited({ retryAfterSeconds: 3 }))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask({ stream: true }) })
    expect(res.statusCode).toBe(429)
    expect(res.headers['content-type']).toContain('application/json')
    expect(res.headers['retry-after']).toBe('3')
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_RATE_LIMITED' } })
  })

  it('a failed call leaves the router healthy: the next request succeeds', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    mock.enqueue(faults.serverError(500))
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })).statusCode).toBe(502)
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })).statusCode).toBe(200)
  })
})
