import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { buildTestApp, internalHeaders, listen } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'
import { sseData } from '../helpers/sse.js'

// One attempt per request: these tests are about how one provider answer is classified
// (retries and fallbacks: attempts.test.ts).
const oneAttempt = { ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1' }

const ask = (extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'one two three four five six seven eight' }], ...extra })

async function streamThrough (url: string): Promise<{ status: number, events: string[] }> {
  const res = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { ...internalHeaders, 'content-type': 'application/json', 'x-request-id': 'req_stream_fail_01' },
    body: JSON.stringify(ask({ stream: true }))
  })
  return { status: res.statusCode, events: sseData(await res.body.text()) }
}

describe('timeouts and dropped connections', () => {
  it('no headers within PROVIDER_HEADERS_TIMEOUT_MS → 504 PROVIDER_TIMEOUT, in about that time', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, { ...oneAttempt, PROVIDER_HEADERS_TIMEOUT_MS: '300' })
    mock.enqueue({ kind: 'delay-headers', ms: 10_000 })
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    const elapsed = performance.now() - started
    expect(res.statusCode).toBe(504)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_TIMEOUT', details: { provider: 'mock', timeout: 'headers' } } })
    // undici's fast timers fire headers/body timeouts with ~0.5-1 s granularity (README); the
    // bound is generous for a loaded CI machine: it only shows the request did not hang.
    expect(elapsed).toBeLessThan(8000)
  })

  it('a stream that stalls longer than PROVIDER_BODY_TIMEOUT_MS ends with one PROVIDER_TIMEOUT error event', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, { ...oneAttempt, PROVIDER_BODY_TIMEOUT_MS: '300' })
    const url = await listen(app)
    mock.enqueue({ kind: 'stall', afterChunks: 2 })
    const started = performance.now()
    const { status, events } = await streamThrough(url)
    expect(status).toBe(200)
    expect(performance.now() - started).toBeLessThan(5000)
    expect(events.length).toBeGreaterThanOrEqual(2)
    expect(events).not.toContain('[DONE]')
    const last = JSON.parse(events.at(-1) ?? '{}') as { error?: Record<string, unknown> }
    expect(last.error).toMatchObject({
      code: 'PROVIDER_TIMEOUT',
      type: 'api_error',
      message: 'The provider "mock" did not answer in time.',
      details: { provider: 'mock', providerStatus: 200, timeout: 'body' },
      request_id: 'req_stream_fail_01'
    })
    // Everything before the error is intact provider chunks.
    for (const event of events.slice(0, -1)) expect(JSON.parse(event)).toHaveProperty('choices')
  })

  it('a provider that drops the connection mid-stream → final PROVIDER_UNAVAILABLE error event', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    const url = await listen(app)
    mock.enqueue({ kind: 'drop', afterChunks: 2 })
    const { status, events } = await streamThrough(url)
    expect(status).toBe(200)
    expect(events).not.toContain('[DONE]')
    const last = JSON.parse(events.at(-1) ?? '{}') as { error?: Record<string, unknown> }
    expect(last.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'mock' } })
  })

  it('a drop before any byte of the answer → 502 PROVIDER_UNAVAILABLE', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, oneAttempt)
    mock.enqueue({ kind: 'drop' })
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_UNAVAILABLE', details: { provider: 'mock' } } })
  })
})
