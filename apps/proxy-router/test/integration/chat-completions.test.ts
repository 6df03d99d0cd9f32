import { createServer } from 'node:http'
import { listenOnLoopback } from '@switchyard/testing'
import { request } from 'undici'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, internalHeaders, listen, PROVIDER_KEY } from '../helpers/build-test-app.js'
import { recordedBody, startMock } from '../helpers/mock.js'
import { sseData } from '../helpers/sse.js'

interface Completion {
  model: string
  choices: Array<{ message: { role: string, content: string } }>
  usage: { prompt_tokens: number, completion_tokens: number, total_tokens: number }
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content }], ...extra })

describe('POST /v1/chat/completions', () => {
  it('returns the provider\'s completion with usage, and says who served it', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...internalHeaders, 'x-request-id': 'req_router_test_0001' }, payload: ask('Hello router') })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('application/json')
    expect(res.headers['x-switchyard-provider']).toBe('mock')
    expect(res.headers['x-switchyard-model']).toBe('mock-gpt')
    expect(res.headers['x-request-id']).toBe('req_router_test_0001')
    const body = res.json<Completion>()
    expect(body.choices[0]?.message.role).toBe('assistant')
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0)
    expect(body.usage.prompt_tokens).toBeGreaterThan(0)
    expect(body.usage.completion_tokens).toBeGreaterThan(0)
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens)
    // The gateway bills from this header and relays the body's bytes without parsing them.
    expect(res.headers['x-switchyard-usage']).toBe(`${body.usage.prompt_tokens} ${body.usage.completion_tokens} ${body.usage.total_tokens}`)
  })

  it('relays an OpenAI-compatible provider\'s JSON answer byte for byte (fields it does not know, escapes, number spellings)', async () => {
    // What parse + serialise would change: the escape, 1.0 → 1, 2^64 → 18446744073709552000, the spacing.
    const answer = '{"id":"chatcmpl-1", "object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"caf\\u00e9"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5},"x_vendor":{"score":1.0,"seed":18446744073709551616}}'
    const provider = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }).end(answer) }) })
    const url = await listenOnLoopback({ listen: async (o) => await new Promise((resolve) => provider.listen(o.port, o.host, () => { resolve('') })), server: provider })
    onTestFinished(async () => { provider.closeAllConnections(); await new Promise((resolve) => provider.close(resolve)) })
    const app = await buildTestApp(`${url}/v1`)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('hi') })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.body).toBe(answer)
    expect(res.headers['x-switchyard-usage']).toBe('3 2 5')
  })

  it('sends the deployment model, the provider key, the request id and the client\'s other fields upstream', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl)
    const payload = { model: 'fast', messages: [{ role: 'user', content: 'hi', name: 'ann' }], temperature: 0.3, user: 'u-42', metadata: { a: 1 } }
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...internalHeaders, 'x-request-id': 'req_router_test_0002' }, payload })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-model']).toBe('mock-gpt-mini')

    expect(mock.requests).toHaveLength(1)
    const upstream = mock.requests[0]!
    expect(upstream.method).toBe('POST')
    expect(upstream.path).toBe('/v1/chat/completions')
    expect(upstream.headers['authorization']).toBe(`Bearer ${PROVIDER_KEY}`)
    expect(upstream.headers['x-request-id']).toBe('req_router_test_0002')
    // The gateway's internal token never leaves the router.
    expect(upstream.headers['x-internal-token']).toBeUndefined()
    expect(recordedBody(upstream.body)).toEqual({ ...payload, model: 'mock-gpt-mini' })
  })

  it('asks the provider for stream usage (keeping the client\'s other stream options)', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl)
    await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('hi', { stream: true }) })
    await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('hi', { stream: true, stream_options: { include_usage: false, extra: 'kept' } }) })
    expect(mock.requests.map((r) => recordedBody(r.body)['stream_options'])).toEqual([
      { include_usage: true },
      { include_usage: true, extra: 'kept' }
    ])
  })

  it('relays a stream chunk by chunk as the provider produces it, usage chunk and [DONE] included', async () => {
    const mock = await startMock({ chunkDelayMs: 60 })
    const app = await buildTestApp(mock.baseUrl)
    const url = await listen(app)
    const res = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...internalHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(ask('one two three four five six', { stream: true }))
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['x-switchyard-provider']).toBe('mock')
    expect(res.headers['x-switchyard-model']).toBe('mock-gpt')

    const reads: string[] = []
    for await (const chunk of res.body) reads.push((chunk as Buffer).toString())
    // Buffering would deliver everything in one read, [DONE] included. Relayed as produced, the
    // first read holds only the first event(s), long before the provider wrote the last one.
    expect(reads.length).toBeGreaterThan(3)
    expect(reads[0]).not.toContain('[DONE]')

    const events = sseData(reads.join(''))
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: Array<{ delta?: { content?: string } }>, usage?: { total_tokens: number } | null })
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')
    expect(text.length).toBeGreaterThan(0)
    // The usage chunk stays in: the gateway decides whether its client sees it.
    expect(chunks.some((c) => (c.usage?.total_tokens ?? 0) > 0)).toBe(true)
  })

  it('unknown model → 404 MODEL_NOT_FOUND naming it, and no provider call', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: { ...ask('hi'), model: 'gpt-9' } })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: { code: 'MODEL_NOT_FOUND', type: 'not_found_error', message: 'The model "gpt-9" does not exist on this gateway.', details: { model: 'gpt-9' } } })
    expect(mock.requests).toHaveLength(0)
  })

  it.each([
    ['no model', { messages: [{ role: 'user', content: 'hi' }] }, 'model'],
    ['an empty model', { model: '', messages: [{ role: 'user', content: 'hi' }] }, 'model'],
    ['no messages', { model: 'mock-gpt', messages: [] }, 'messages'],
    ['a message without a role', { model: 'mock-gpt', messages: [{ content: 'hi' }] }, 'messages.0.role'],
    ['a non-boolean stream', { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], stream: 'yes' }, 'stream']
  ])('rejects %s with 400 INVALID_REQUEST naming the field', async (_what, payload, param) => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_REQUEST', param } })
    expect(mock.requests).toHaveLength(0)
  })
})
