import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { anthropicFaults, faults, type StartedMockProvider } from '@switchyard/mock-provider'
import { makeTempDir } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp, loadRouterConfig } from '../../src/app.js'
import { INTERNAL_TOKEN, internalHeaders } from '../helpers/build-test-app.js'
import { recordedBody, startMock } from '../helpers/mock.js'
import { sseData } from '../helpers/sse.js'

// The router in front of the mock provider's Anthropic Messages API: an "anthropic"-typed
// provider whose baseUrl is the mock's /v1, so requests go to /v1/messages.

const ANTHROPIC_KEY = 'sk-ant-router-test-0123456789'

async function routerFor (mock: StartedMockProvider): Promise<FastifyInstance> {
  const file = join(makeTempDir('router-routes'), 'routes.json')
  writeFileSync(file, JSON.stringify({
    providers: { claude: { type: 'anthropic', baseUrl: mock.baseUrl, apiKeyEnv: 'ANTHROPIC_API_KEY' } },
    models: { claude: [{ provider: 'claude', model: 'mock-claude-sonnet' }] }
  }))
  const app = await buildApp(loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: file, ANTHROPIC_API_KEY: ANTHROPIC_KEY, LOG_LEVEL: 'silent' }, 'test'))
  onTestFinished(async () => { await app.close() })
  return app
}

const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]
const ask = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'claude', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content }], ...extra })

interface Chunk { choices: Array<{ delta: Record<string, unknown>, finish_reason: string | null }>, usage?: Record<string, number> }

describe('anthropic provider through the router', () => {
  it('sends the Messages request with x-api-key and anthropic-version, and answers an OpenAI completion with tool calls', async () => {
    const mock = await startMock({ apiKey: ANTHROPIC_KEY })
    const app = await routerFor(mock)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...internalHeaders, 'x-request-id': 'req_anthropic_01' }, payload: ask('Paris please', { tools }) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-provider']).toBe('claude')
    const body = res.json<{ object: string, model: string, choices: Array<{ message: Record<string, unknown>, finish_reason: string }>, usage: Record<string, number> }>()
    expect(body.object).toBe('chat.completion')
    expect(body.model).toBe('mock-claude-sonnet')
    expect(body.choices[0]?.finish_reason).toBe('tool_calls')
    expect(body.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'Calling get_weather.',
      tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris please"}' } }]
    })
    // system (3 + 2) + user (3 + 2); two words of text + one tool call
    expect(body.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 })

    const upstream = mock.requests[0]!
    expect(upstream.path).toBe('/v1/messages')
    expect(upstream.headers).toMatchObject({ 'x-api-key': ANTHROPIC_KEY, 'anthropic-version': '2023-06-01', 'x-request-id': 'req_anthropic_01' })
    expect(upstream.headers['authorization']).toBeUndefined()
    expect(recordedBody(upstream.body)).toMatchObject({ model: 'mock-claude-sonnet', system: 'Be brief.', max_tokens: 4096, messages: [{ role: 'user' }] })
  })

  it('streams OpenAI chunks: tool call renumbered to index 0, finish_reason, usage chunk last, [DONE]', async () => {
    const mock = await startMock({ apiKey: ANTHROPIC_KEY })
    const app = await routerFor(mock)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('Oslo', { tools, stream: true }) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream')
    const data = sseData(res.body)
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk)
    const calls = chunks.flatMap((c) => (c.choices[0]?.delta['tool_calls'] as Array<{ index: number, function: { arguments: string } }> | undefined) ?? [])
    expect(new Set(calls.map((c) => c.index))).toEqual(new Set([0]))
    expect(JSON.parse(calls.map((c) => c.function.arguments).join(''))).toEqual({ city: 'Oslo' })
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 3 } })
  })

  it('refuses what Anthropic cannot honour before calling it', async () => {
    const mock = await startMock({ apiKey: ANTHROPIC_KEY })
    const app = await routerFor(mock)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('hi', { n: 2 }) })
    expect(res.statusCode).toBe(400)
    expect(res.headers['x-should-retry']).toBe('false')
    expect(res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_PARAMETER', param: 'n', details: { param: 'n', provider: 'claude' } } })
    expect(mock.stats.requests).toBe(0)
  })

  it.each([
    ['529 overloaded', anthropicFaults.overloaded(), 502, 'PROVIDER_UNAVAILABLE'],
    ['429 rate limit', anthropicFaults.rateLimited(2), 429, 'PROVIDER_RATE_LIMITED'],
    ['401 authentication', anthropicFaults.authenticationError(), 502, 'PROVIDER_AUTH_FAILED'],
    ['400 prompt too long', anthropicFaults.promptTooLong(), 400, 'CONTEXT_LENGTH_EXCEEDED']
  ])('%s maps onto the catalogue like any provider answer', async (_what, fault, status, code) => {
    const mock = await startMock({ apiKey: ANTHROPIC_KEY })
    const app = await routerFor(mock)
    mock.enqueue(fault)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('hi') })
    expect(res.statusCode).toBe(status)
    expect(res.json()).toMatchObject({ error: { code, details: { provider: 'claude', providerStatus: fault.status } } })
  })

  it('a wrong provider key is the operator\'s problem: PROVIDER_AUTH_FAILED, not the client\'s', async () => {
    const mock = await startMock({ apiKey: 'sk-ant-a-different-key-000000' })
    const app = await routerFor(mock)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('hi') })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({ error: { code: 'PROVIDER_AUTH_FAILED', details: { providerCode: 'authentication_error' } } })
    expect(res.body).not.toContain('sk-ant')
  })

  it('an error event mid-stream ends the stream with the SSE error envelope, mapped like its status, no [DONE]', async () => {
    const mock = await startMock({ apiKey: ANTHROPIC_KEY })
    const app = await routerFor(mock)
    mock.enqueue(faults.streamError(4, 529))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...internalHeaders, 'x-request-id': 'req_anthropic_err' }, payload: ask('Tell me a story', { stream: true }) })
    expect(res.statusCode).toBe(200)
    const data = sseData(res.body)
    expect(data).not.toContain('[DONE]')
    const last = JSON.parse(data.at(-1) ?? '') as { error: Record<string, unknown> }
    expect(last.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', request_id: 'req_anthropic_err', details: { provider: 'claude', providerStatus: 529, providerCode: 'overloaded_error' } })
    // What the provider had already said reached the client first.
    expect((JSON.parse(data[1] ?? '') as Chunk).choices[0]?.delta).toEqual({ content: 'Mock' })
  })
})
