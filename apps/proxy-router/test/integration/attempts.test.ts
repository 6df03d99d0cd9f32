import { faults, type StartedMockProvider } from '@switchyard/mock-provider'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { buildTableApp, internalHeaders, listen, writeTableFile } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'
import { sseData } from '../helpers/sse.js'

// Retries, fallbacks, deadlines and the stream preamble (docs/adr/0013), against two mock
// providers "a" and "b" both serving the alias "m" (a first). Calls are counted at each mock.

const ask = (extra: Record<string, unknown> = {}) => ({ model: 'm', messages: [{ role: 'user', content: 'one two three four five six seven eight' }], ...extra })

interface Pair { a: StartedMockProvider, b: StartedMockProvider, file: string }

async function twoProviders (): Promise<Pair> {
  const a = await startMock()
  const b = await startMock()
  const file = writeTableFile({ a: a.baseUrl, b: b.baseUrl }, { m: [{ provider: 'a', model: 'mock-gpt' }, { provider: 'b', model: 'mock-gpt-mini' }] })
  return { a, b, file }
}

/** Chat requests the mock received (not /v1/models or anything else). */
const calls = (mock: StartedMockProvider) => mock.requests.filter((r) => r.path === '/v1/chat/completions').length

interface Envelope { error: { code: string, details: Record<string, unknown> } }

async function stream (url: string): Promise<{ status: number, headers: Record<string, unknown>, text: string }> {
  const res = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { ...internalHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(ask({ stream: true }))
  })
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() }
}

describe('retries and fallbacks', () => {
  it('a first deployment answering 401 is skipped for the second, and the headers say so', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.userNotFound())
    const app = await buildTableApp(file)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-deployment']).toBe('b/mock-gpt-mini')
    expect(res.headers['x-switchyard-attempts']).toBe('2')
    expect(res.headers['x-switchyard-provider']).toBe('b')
    expect(res.headers['x-switchyard-model']).toBe('mock-gpt-mini')
    // Never retried on the same deployment: one call each.
    expect([calls(a), calls(b)]).toEqual([1, 1])
  })

  it('429 with Retry-After: 1, then success: one retry on the same deployment after about a second', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.rateLimited({ retryAfterSeconds: 1 }))
    const app = await buildTableApp(file)
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    const elapsed = performance.now() - started
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-deployment']).toBe('a/mock-gpt')
    expect(res.headers['x-switchyard-attempts']).toBe('2')
    expect([calls(a), calls(b)]).toEqual([2, 0])
    expect(elapsed).toBeGreaterThanOrEqual(950) // the hint was honoured, not ignored
    expect(elapsed).toBeLessThan(10_000)
  })

  it('a deployment that stalls before the first byte falls back once PROVIDER_HEADERS_TIMEOUT_MS passes', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.delayHeaders(30_000))
    const app = await buildTableApp(file, { PROVIDER_HEADERS_TIMEOUT_MS: '1000' })
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-deployment']).toBe('b/mock-gpt-mini')
    // Headers timeout (undici checks it at ~1 s granularity) plus b's time; not a second wait on a.
    expect(performance.now() - started).toBeLessThan(10_000)
    expect([calls(a), calls(b)]).toEqual([1, 1])
  })

  it('a stream that sends headers and then nothing falls back after PROVIDER_FIRST_TOKEN_TIMEOUT_MS', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.stall(1)) // the role chunk, then silence: no content yet
    const url = await listen(await buildTableApp(file, { PROVIDER_FIRST_TOKEN_TIMEOUT_MS: '1500' }))
    const { status, headers, text } = await stream(url)
    expect(status).toBe(200)
    expect(headers['x-switchyard-deployment']).toBe('b/mock-gpt-mini')
    const events = sseData(text)
    expect(events.at(-1)).toBe('[DONE]')
    expect(events.filter((e) => e.includes('"role":"assistant"'))).toHaveLength(1)
    expect([calls(a), calls(b)]).toEqual([1, 1])
  })

  it('a stream that stalls after 3 chunks: the 3 chunks, then a PROVIDER_TIMEOUT error event, and no second attempt', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.stall(3))
    const url = await listen(await buildTableApp(file, { PROVIDER_BODY_TIMEOUT_MS: '500' }))
    const { status, headers, text } = await stream(url)
    expect(status).toBe(200)
    expect(headers['x-switchyard-deployment']).toBe('a/mock-gpt')
    const events = sseData(text)
    expect(events).toHaveLength(4)
    for (const event of events.slice(0, 3)) expect(JSON.parse(event)).toHaveProperty('choices')
    expect(JSON.parse(events[3] ?? '{}')).toMatchObject({ error: { code: 'PROVIDER_TIMEOUT', details: { provider: 'a', timeout: 'body' } } })
    expect([calls(a), calls(b)]).toEqual([1, 0])
  })

  it('a 200 stream with an error event before any content falls back, and the client sees one clean stream', async () => {
    const { a, b, file } = await twoProviders()
    a.setDefaultFault(faults.errorEvent(1))
    const url = await listen(await buildTableApp(file))
    const { status, headers, text } = await stream(url)
    expect(status).toBe(200)
    expect(headers['x-switchyard-deployment']).toBe('b/mock-gpt-mini')
    expect(headers['x-switchyard-attempts']).toBe('3') // a, a again (retryable), then b
    expect(text).not.toContain('error')
    const events = sseData(text)
    expect(events.filter((e) => e.includes('"role":"assistant"'))).toHaveLength(1)
    expect(events.at(-1)).toBe('[DONE]')
    expect(JSON.parse(events[0] ?? '{}')).toMatchObject({ model: 'mock-gpt-mini' })
    expect([calls(a), calls(b)]).toEqual([2, 1])
  })

  it('a request the provider refuses as invalid is neither retried nor sent elsewhere', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.contextLengthExceeded())
    const app = await buildTableApp(file)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(400)
    expect(res.json<Envelope>().error.code).toBe('CONTEXT_LENGTH_EXCEEDED')
    expect([calls(a), calls(b)]).toEqual([1, 0])
  })

  it('when every deployment fails, the last attempt\'s code names each attempt, and says not to retry', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.invalidApiKey())
    b.enqueue(faults.userNotFound())
    const app = await buildTableApp(file)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(502)
    expect(res.headers['x-should-retry']).toBe('false')
    const { error } = res.json<Envelope>()
    expect(error.code).toBe('PROVIDER_AUTH_FAILED')
    expect(error.details).toMatchObject({
      provider: 'b',
      deployment: 'b/mock-gpt-mini',
      attempts: [
        { deployment: 'a/mock-gpt', code: 'PROVIDER_AUTH_FAILED', providerStatus: 401 },
        { deployment: 'b/mock-gpt-mini', code: 'PROVIDER_AUTH_FAILED', providerStatus: 401 }
      ]
    })
    // cause-level detail (the default): no host or port of either provider.
    expect(JSON.stringify(error)).not.toContain('127.0.0.1')
  })

  it('the total deadline holds: every deployment stalling fails with PROVIDER_TIMEOUT in time, listing every attempt', async () => {
    const { a, b, file } = await twoProviders()
    a.setDefaultFault(faults.stall(0))
    b.setDefaultFault(faults.stall(0))
    const url = await listen(await buildTableApp(file, {
      PROVIDER_HEADERS_TIMEOUT_MS: '900',
      PROVIDER_FIRST_TOKEN_TIMEOUT_MS: '700',
      ROUTER_TOTAL_TIMEOUT_MS: '1000'
    }))
    const started = performance.now()
    const { status, headers, text } = await stream(url)
    expect(performance.now() - started).toBeLessThan(8000)
    expect(status).toBe(504)
    expect(headers['x-should-retry']).toBe('false')
    const { error } = JSON.parse(text) as Envelope
    expect(error.code).toBe('PROVIDER_TIMEOUT')
    expect(error.details['timeout']).toBe('total')
    expect(error.details['attempts']).toEqual([
      { deployment: 'a/mock-gpt', code: 'PROVIDER_TIMEOUT', cause: 'timeout' },
      { deployment: 'b/mock-gpt-mini', code: 'PROVIDER_TIMEOUT', cause: 'timeout' }
    ])
  })
})

describe('cooldowns', () => {
  it('after N failures a deployment is skipped without being called, and tried again once the cooldown ends', async () => {
    const { a, file } = await twoProviders()
    a.setDefaultFault(faults.serverError(500))
    const app = await buildTableApp(file, { ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1', COOLDOWN_FAILURE_THRESHOLD: '2', COOLDOWN_MS: '3000' })
    const post = async () => await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })

    for (let i = 0; i < 2; i++) expect((await post()).headers['x-switchyard-deployment']).toBe('b/mock-gpt-mini')
    expect(calls(a)).toBe(2)

    const state = await app.inject({ method: 'GET', url: '/internal/deployments', headers: internalHeaders })
    expect(state.statusCode).toBe(200)
    expect(state.json()).toMatchObject({
      deployments: [
        { id: 'a/mock-gpt', models: ['m'], state: 'cooling_down', reason: 'repeated_failures' },
        { id: 'b/mock-gpt-mini', models: ['m'], state: 'available' }
      ]
    })

    const skipped = await post()
    expect(skipped.headers['x-switchyard-deployment']).toBe('b/mock-gpt-mini')
    expect(skipped.headers['x-switchyard-attempts']).toBe('1')
    expect(calls(a)).toBe(2) // not called while cooling down

    a.setDefaultFault(undefined)
    await new Promise((resolve) => setTimeout(resolve, 3100))
    const back = await post()
    expect(back.headers['x-switchyard-deployment']).toBe('a/mock-gpt')
    expect(calls(a)).toBe(3)
  })

  it('a 401 puts the deployment in cooldown at once', async () => {
    const { a, file } = await twoProviders()
    a.enqueue(faults.invalidApiKey())
    const app = await buildTableApp(file)
    await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(calls(a)).toBe(1)
    const state = await app.inject({ method: 'GET', url: '/internal/deployments', headers: internalHeaders })
    expect(state.json()).toMatchObject({ deployments: [{ id: 'a/mock-gpt', state: 'cooling_down', reason: 'auth_failed' }, { state: 'available' }] })
  })

  it('GET /internal/deployments requires the internal token', async () => {
    const { file } = await twoProviders()
    const app = await buildTableApp(file)
    const res = await app.inject({ method: 'GET', url: '/internal/deployments' })
    expect(res.statusCode).toBe(401)
    expect(res.json<Envelope>().error.code).toBe('INVALID_INTERNAL_TOKEN')
  })
})

describe('heartbeats', () => {
  it('a stream quiet for longer than SSE_HEARTBEAT_MS gets `: ping` lines and completes', async () => {
    const { a, file } = await twoProviders()
    a.enqueue(faults.chunkDelay(150))
    const url = await listen(await buildTableApp(file, { SSE_HEARTBEAT_MS: '60' }))
    const { status, text } = await stream(url)
    expect(status).toBe(200)
    expect(text).toContain(': ping\n\n')
    // Pings sit between whole events; the data is intact.
    const events = sseData(text)
    expect(events.at(-1)).toBe('[DONE]')
    for (const event of events.slice(0, -1)) expect(JSON.parse(event)).toHaveProperty('choices')
  })
})
