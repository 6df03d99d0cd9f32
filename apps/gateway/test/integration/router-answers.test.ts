import { faults } from '@switchyard/mock-provider'
import { listenOnLoopback } from '@switchyard/testing'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { startStack, type Stack } from '../helpers/stack.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

const completion = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }

/** A gateway whose ROUTER_URL is a stand-in router that answers every completion with `answer`. */
async function gatewayBehind (answer: (headers: Record<string, unknown>) => { status: number, headers: Record<string, string>, body: unknown }) {
  const seen: Array<Record<string, unknown>> = []
  const router = Fastify({ logger: false })
  router.post('/v1/chat/completions', async (request, reply) => {
    seen.push(request.headers)
    const a = answer(request.headers)
    return await reply.code(a.status).headers(a.headers).send(a.body)
  })
  const routerUrl = await listenOnLoopback(router)
  onTestFinished(async () => { await router.close() })
  const { app } = await buildTestApp({ ROUTER_URL: routerUrl })
  const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'k' } })
  return { app, key: created.json<{ key: string }>().key, seen }
}

describe('the gateway passes the router\'s answer through faithfully', () => {
  it('keeps the router\'s code, message, details, status and x-should-retry; only request_id is the gateway\'s', async () => {
    const { app, key, seen } = await gatewayBehind(() => ({
      status: 503,
      headers: { 'x-should-retry': 'false', 'x-switchyard-attempts': '3', 'x-switchyard-provider': 'mock', 'retry-after': '7', 'x-other': 'not for clients', 'x-switchyard-trace': '[["mock/m","mock","f",503,"PROVIDER_UNAVAILABLE",4]]' },
      body: { error: { message: 'All 3 attempts at provider "mock" failed.', type: 'api_error', code: 'PROVIDER_UNAVAILABLE', param: null, details: { provider: 'mock', attempts: 3 }, request_id: 'router-side-id' } }
    }))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}`, 'x-request-id': 'client-trace-7' }, payload: completion })
    expect(res.statusCode).toBe(503)
    // PROVIDER_UNAVAILABLE is retryable in the catalogue; the router said no more retries.
    expect(res.headers['x-should-retry']).toBe('false')
    expect(res.headers['x-switchyard-attempts']).toBe('3')
    expect(res.headers['x-switchyard-provider']).toBe('mock')
    expect(res.headers['retry-after']).toBe('7')
    expect(res.headers['x-other']).toBeUndefined()
    // The trace is stored for GET /v1/requests/{id}, not passed on.
    expect(res.headers['x-switchyard-trace']).toBeUndefined()
    const id = String(res.headers['x-request-id'])
    expect(res.json().error).toEqual({
      // The router's message, then where the gateway shows every attempt.
      message: `All 3 attempts at provider "mock" failed. (request ${id}: GET /v1/requests/${id} shows every attempt)`,
      type: 'api_error',
      code: 'PROVIDER_UNAVAILABLE',
      param: null,
      details: { provider: 'mock', attempts: 3 },
      request_id: res.headers['x-request-id']
    })
    expect(seen[0]).toMatchObject({ 'x-request-id': res.headers['x-request-id'], 'x-correlation-id': 'client-trace-7' })
  })

  it('bills the usage the router reports in x-switchyard-usage and relays the answer byte for byte, without that header', async () => {
    // Key order and spacing a re-serialisation would change; the body's usage differs from the
    // header on purpose: the header is what the router read from the provider.
    const raw = '{"id":"c1", "object":"chat.completion","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
    const { app, key } = await gatewayBehind(() => ({ status: 200, headers: { 'content-type': 'application/json', 'x-switchyard-usage': '12 5 17', 'x-switchyard-provider': 'mock' }, body: raw }))
    const billed: Array<{ promptTokens?: number, completionTokens?: number, totalTokens?: number }> = []
    const record = app.usage.record
    app.usage.record = (event) => { billed.push(event); record(event) }
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: completion })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe(raw)
    expect(res.headers['x-switchyard-usage']).toBeUndefined()
    expect(res.headers['x-switchyard-provider']).toBe('mock')
    expect(billed).toMatchObject([{ promptTokens: 12, completionTokens: 5, totalTokens: 17 }])
  })

  it('reads the usage from the body when x-switchyard-usage is missing or malformed (an older or broken router)', async () => {
    const raw = '{"id":"c1","object":"chat.completion","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}'
    for (const header of [undefined, '12 x 5', '1 2', '-1 2 3']) {
      const { app, key } = await gatewayBehind(() => ({ status: 200, headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { 'x-switchyard-usage': header }) }, body: raw }))
      const billed: Array<{ totalTokens?: number }> = []
      const record = app.usage.record
      app.usage.record = (event) => { billed.push(event); record(event) }
      const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: completion })
      expect(res.statusCode).toBe(200)
      expect(billed).toMatchObject([{ totalTokens: 7 }])
    }
    const { app, key } = await gatewayBehind(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: 'not json' }))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: completion })
    expect(res.json().error.code).toBe('PROVIDER_BAD_RESPONSE')
  })

  it('forwards the client\'s body bytes to the router as they arrived, not parsed and serialised again', async () => {
    const received: string[] = []
    const router = Fastify({ logger: false })
    router.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => { received.push(body as string); done(null, body) })
    router.post('/v1/chat/completions', async (_request, reply) => await reply.code(200).header('x-switchyard-usage', '1 1 2').type('application/json').send('{"choices":[]}'))
    const routerUrl = await listenOnLoopback(router)
    onTestFinished(async () => { await router.close() })
    const { app } = await buildTestApp({ ROUTER_URL: routerUrl })
    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'k' } })
    // Escapes, a float written as 1.0 and an integer beyond 2^53: JSON.parse + JSON.stringify
    // would turn them into "café", 1 and 12345678901234567000.
    const text = '{ "model": "mock-gpt", "messages": [{"role": "user", "content": "caf\\u00e9"}], "temperature": 1.0, "seed": 12345678901234567890 }'
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${created.json<{ key: string }>().key}`, 'content-type': 'application/json' }, payload: text })
    expect(res.statusCode).toBe(200)
    expect(received).toEqual([text])
  })
})

describe('through gateway, router and mock provider', () => {
  let stack: Stack
  let key: string
  beforeAll(async () => {
    stack = await startStack({ backend: 'pglite' })
    key = (await stack.createKey()).key
  })
  afterAll(async () => { await stack?.close() })

  it('refuses a body nested 10,000 levels deep with 400 JSON_TOO_DEEP, not 502, without calling the router', async () => {
    const before = stack.mock.stats.requests
    const payload = `{"model":"mock-gpt","messages":[{"role":"user","content":"hi"}],"metadata":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: payload })
    expect(res.status).toBe(400)
    expect(res.headers.get('x-should-retry')).toBe('false')
    expect((await res.json() as { error: { code: string } }).error.code).toBe('JSON_TOO_DEEP')
    expect(stack.mock.stats.requests).toBe(before)
  })

  it('passes the router\'s x-switchyard-* headers to the client, for answers and for streams', async () => {
    const plain = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(completion) })
    expect(plain.status).toBe(200)
    expect(plain.headers.get('x-switchyard-provider')).toBe('mock')
    expect(plain.headers.get('x-switchyard-model')).toBe('mock-gpt')
    await plain.text()
    const streamed = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...completion, stream: true }) })
    expect(streamed.headers.get('content-type')).toContain('text/event-stream')
    expect(streamed.headers.get('x-switchyard-provider')).toBe('mock')
    expect(await streamed.text()).toContain('[DONE]')
  })

  it('keeps the router\'s verdict on a revoked provider key: its code, not retryable, the gateway\'s request id', async () => {
    stack.mock.enqueue(faults.userNotFound())
    const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(completion) })
    expect(res.status).toBe(502)
    expect(res.headers.get('x-should-retry')).toBe('false')
    const body = await res.json() as { error: { code: string, request_id: string } }
    expect(body.error.code).toBe('PROVIDER_AUTH_FAILED')
    expect(body.error.request_id).toBe(res.headers.get('x-request-id'))
  })
})
