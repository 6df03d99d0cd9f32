import { SwitchyardError } from '@switchyard/errors'
import { describe, expect, it, vi } from 'vitest'
import { anthropicAdapter } from '../../src/providers/anthropic/index.js'
import { DEFAULT_MAX_TOKENS } from '../../src/providers/anthropic/request.js'
import { adapterFor } from '../../src/providers/registry.js'
import { classifyUpstreamResponse } from '../../src/upstream/classify.js'
import { parseRoutingTable, type Deployment } from '../../src/routing/routing-table.js'
import type { ChatCompletionRequest } from '../../src/schemas/chat-completion.js'
import { readFixture, readHttpFixture } from '../helpers/fixtures.js'

function deploymentAt (baseUrl: string, apiKey?: string): Deployment {
  const routes = parseRoutingTable({
    providers: { claude: { type: 'anthropic', baseUrl, ...(apiKey === undefined ? {} : { apiKeyEnv: 'KEY' }) } },
    models: { claude: [{ provider: 'claude', model: 'claude-sonnet-4-5' }] }
  }, { KEY: apiKey })
  const [deployment] = routes.models.get('claude') ?? []
  if (deployment === undefined) throw new Error('no deployment')
  return deployment
}

const d = deploymentAt('https://api.anthropic.com/v1', 'sk-ant-test-key')
const json = (name: string): unknown => JSON.parse(readFixture(`anthropic/${name}`))
const hi: Array<{ role: string }> = [{ role: 'user', content: 'hi' } as { role: string }]
const chat = (extra: Record<string, unknown> = {}): ChatCompletionRequest => ({ model: 'claude', messages: hi, ...extra })
const sent = (body: ChatCompletionRequest, deployment = d): Record<string, unknown> =>
  JSON.parse(anthropicAdapter.buildRequest('chat.completions', body, deployment).body) as Record<string, unknown>

function refusal (body: ChatCompletionRequest): SwitchyardError {
  try {
    anthropicAdapter.buildRequest('chat.completions', body, d)
  } catch (err) {
    if (err instanceof SwitchyardError) return err
    throw err
  }
  throw new Error('the request was not refused')
}

describe('anthropic adapter: request', () => {
  it('is registered under the routing-table type "anthropic"', () => {
    expect(adapterFor('anthropic')).toBe(anthropicAdapter)
  })

  it.each([
    ['https://api.anthropic.com/v1', '/v1/messages'],
    ['https://gateway.internal/anthropic/v1/', '/anthropic/v1/messages'],
    ['http://127.0.0.1:8090', '/messages']
  ])('posts to <base path of %s>/messages, as the openai type joins /chat/completions', (baseUrl, path) => {
    expect(anthropicAdapter.buildRequest('chat.completions', chat(), deploymentAt(baseUrl)).path).toBe(path)
  })

  it('sends x-api-key and anthropic-version, never a bearer token; keyless providers get no key header', () => {
    expect(anthropicAdapter.buildRequest('chat.completions', chat(), d).headers).toEqual({
      'content-type': 'application/json', accept: 'application/json', 'x-api-key': 'sk-ant-test-key', 'anthropic-version': '2023-06-01'
    })
    const keyless = anthropicAdapter.buildRequest('chat.completions', chat({ stream: true }), deploymentAt('http://127.0.0.1:8090/v1')).headers
    expect(keyless).not.toHaveProperty('x-api-key')
    expect(keyless).not.toHaveProperty('authorization')
    expect(keyless['accept']).toBe('text/event-stream')
  })

  it('translates the fixture request: system, images, tool calls, merged tool results, tools, tool_choice, stop, sampling', () => {
    expect(sent(json('request.openai.json') as ChatCompletionRequest)).toEqual(json('request.anthropic.json'))
  })

  it('defaults max_tokens to the documented 4096, and honours max_completion_tokens over max_tokens', () => {
    expect(sent(chat())['max_tokens']).toBe(DEFAULT_MAX_TOKENS)
    expect(DEFAULT_MAX_TOKENS).toBe(4096)
    expect(sent(chat({ max_tokens: 100 }))['max_tokens']).toBe(100)
    expect(sent(chat({ max_tokens: 100, max_completion_tokens: 200 }))['max_tokens']).toBe(200)
    expect(refusal(chat({ max_tokens: 0 })).code).toBe('INVALID_REQUEST')
  })

  it('sends a single system prompt as a string and a string stop as a one-element list', () => {
    const body = sent(chat({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }], stop: 'END' }))
    expect(body).toMatchObject({ system: 'Be brief.', stop_sequences: ['END'], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })
    expect(body).not.toHaveProperty('stream')
  })

  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['none', undefined, { type: 'none' }],
    ['required', undefined, { type: 'any' }],
    [{ type: 'function', function: { name: 'get_weather' } }, undefined, { type: 'tool', name: 'get_weather' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }]
  ])('tool_choice %j (parallel_tool_calls %j) → %j', (toolChoice, parallel, expected) => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }]
    expect(sent(chat({ tools, tool_choice: toolChoice, parallel_tool_calls: parallel }))['tool_choice']).toEqual(expected)
  })

  it('gives a parameterless function tool an empty object schema', () => {
    expect(sent(chat({ tools: [{ type: 'function', function: { name: 'now' } }] }))['tools']).toEqual([{ name: 'now', input_schema: { type: 'object', properties: {} } }])
  })

  it('passes Anthropic\'s own thinking and top_k through (how a client turns extended thinking on)', () => {
    const thinking = { type: 'enabled', budget_tokens: 2048 }
    expect(sent(chat({ thinking, top_k: 5 }))).toMatchObject({ thinking, top_k: 5 })
  })

  it.each([
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 3 }],
    ['logit_bias', { logit_bias: { 50256: -100 } }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -1 }],
    ['seed', { seed: 42 }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['reasoning_effort', { reasoning_effort: 'high' }],
    ['functions', { functions: [{ name: 'f' }] }],
    ['messages[0].role', { messages: [{ role: 'function', name: 'f', content: 'x' }] }],
    ['messages[0].content[0].type', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }] }] }],
    ['tools[0].type', { tools: [{ type: 'custom', custom: { name: 'x' } }] }]
  ])('refuses %s with a 400 UNSUPPORTED_PARAMETER naming it, rather than dropping it', (param, extra) => {
    const err = refusal(chat(extra))
    expect(err.code).toBe('UNSUPPORTED_PARAMETER')
    expect(err.statusCode).toBe(400)
    expect(err.details).toEqual({ param, provider: 'claude' })
    expect(err.message).toContain(`"${param}"`)
  })

  it('accepts the harmless values of those parameters (what SDKs send by default)', () => {
    const body = chat({ n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, logit_bias: {}, response_format: { type: 'text' }, top_logprobs: null, seed: null })
    expect(() => anthropicAdapter.buildRequest('chat.completions', body, d)).not.toThrow()
  })

  it('refuses tool-call arguments that are not JSON with INVALID_REQUEST naming the field', () => {
    const err = refusal(chat({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] }))
    expect(err.code).toBe('INVALID_REQUEST')
    expect(err.details).toEqual({ param: 'messages[1].tool_calls[0].function.arguments' })
  })
})

describe('anthropic adapter: response', () => {
  it.each(['response-text', 'response-tool-use'])('%s: Anthropic message → OpenAI chat.completion', (name) => {
    vi.useFakeTimers({ now: 1764442800_000 })
    try {
      expect(anthropicAdapter.parseResponse('chat.completions', readFixture(`anthropic/${name}.anthropic.json`))).toEqual(json(`${name}.openai.json`))
    } finally {
      vi.useRealTimers()
    }
  })

  it.each([
    ['end_turn', 'stop'], ['stop_sequence', 'stop'], ['max_tokens', 'length'], ['tool_use', 'tool_calls'], ['refusal', 'content_filter']
  ])('stop_reason %s → finish_reason %s', (stopReason, finishReason) => {
    const message = { ...(json('response-text.anthropic.json') as Record<string, unknown>), stop_reason: stopReason }
    const completion = anthropicAdapter.parseResponse('chat.completions', JSON.stringify(message)) as { choices: Array<{ finish_reason: string }> }
    expect(completion.choices[0]?.finish_reason).toBe(finishReason)
  })

  it('rejects a 2xx body that is not an Anthropic message', () => {
    expect(() => anthropicAdapter.parseResponse('chat.completions', '{"choices":[]}')).toThrow(/not an Anthropic message/)
    expect(() => anthropicAdapter.parseResponse('chat.completions', '<html>')).toThrow(SyntaxError)
  })
})

describe('anthropic adapter: every documented error type maps onto the catalogue', () => {
  it.each([
    ['overloaded.http', 'PROVIDER_UNAVAILABLE', 502, true],
    ['api-error.http', 'PROVIDER_UNAVAILABLE', 502, true],
    ['rate-limit.http', 'PROVIDER_RATE_LIMITED', 429, true],
    ['spend-limit.http', 'PROVIDER_QUOTA_EXCEEDED', 502, false],
    ['billing.http', 'PROVIDER_QUOTA_EXCEEDED', 502, false],
    ['authentication.http', 'PROVIDER_AUTH_FAILED', 502, false],
    ['permission.http', 'PROVIDER_AUTH_FAILED', 502, false],
    ['not-found.http', 'PROVIDER_MODEL_UNAVAILABLE', 502, false],
    ['prompt-too-long.http', 'CONTEXT_LENGTH_EXCEEDED', 400, false],
    ['context-limit.http', 'CONTEXT_LENGTH_EXCEEDED', 400, false],
    ['invalid-request.http', 'PROVIDER_BAD_REQUEST', 400, false],
    ['request-too-large.http', 'PROVIDER_BAD_REQUEST', 400, false]
  ])('%s → %s (%i, retryable %s)', (file, code, status, retryable) => {
    const res = readHttpFixture(`../anthropic/errors/${file}`)
    const error = anthropicAdapter.parseError(res.body)
    const body = JSON.parse(res.body) as { error: { type: string, message: string } }
    expect(error.type).toBe(body.error.type)
    expect(error.message).toBe(body.error.message)
    const err = classifyUpstreamResponse({ provider: 'claude', status: res.status, headers: res.headers, error, body: res.body })
    expect(err.code).toBe(code)
    expect(err.statusCode).toBe(status)
    expect(err.retryable).toBe(retryable)
    expect(err.details).toMatchObject({ provider: 'claude', providerStatus: res.status, providerCode: error.code })
  })

  it('names the Anthropic error type as providerCode, and the spend limit by its error_code', () => {
    expect(anthropicAdapter.parseError(readHttpFixture('../anthropic/errors/overloaded.http').body)).toEqual({ type: 'overloaded_error', code: 'overloaded_error', message: 'Overloaded' })
    expect(anthropicAdapter.parseError(readHttpFixture('../anthropic/errors/spend-limit.http').body).code).toBe('enforced_spend_limit_reached')
  })

  it('passes Retry-After of a rate limit on', () => {
    const res = readHttpFixture('../anthropic/errors/rate-limit.http')
    const err = classifyUpstreamResponse({ provider: 'claude', status: res.status, headers: res.headers, error: anthropicAdapter.parseError(res.body), body: res.body })
    expect(err.headers).toEqual({ 'retry-after': '17' })
  })

  it('reads non-Anthropic error bodies as nothing, without throwing', () => {
    expect(anthropicAdapter.parseError('<html>502 Bad Gateway</html>')).toEqual({})
    expect(anthropicAdapter.parseError('null')).toEqual({})
    expect(anthropicAdapter.parseError('{"error":"x"}')).toEqual({})
  })
})

describe('anthropic adapter: embeddings', () => {
  it('refuses embeddings with a specific 400 naming the provider, before any call', () => {
    let thrown: unknown
    try {
      anthropicAdapter.buildRequest('embeddings', { model: 'claude', input: 'hello' }, d)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(SwitchyardError)
    expect(thrown).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED', statusCode: 400, details: { provider: 'claude', operation: 'embeddings' } })
    expect((thrown as Error).message).toContain('"claude"')
    expect((thrown as Error).message).toContain('embeddings')
  })
})
