import { describe, expect, it } from 'vitest'
import { openaiAdapter } from '../../src/providers/openai/index.js'
import { parseRoutingTable, type Deployment } from '../../src/routing/routing-table.js'

function deploymentAt (baseUrl: string, apiKey?: string): Deployment {
  const routes = parseRoutingTable({
    providers: { p: { type: 'openai', baseUrl, ...(apiKey === undefined ? {} : { apiKeyEnv: 'KEY' }) } },
    models: { alias: [{ provider: 'p', model: 'upstream-model' }] }
  }, { KEY: apiKey })
  const [deployment] = routes.models.get('alias') ?? []
  if (deployment === undefined) throw new Error('no deployment')
  return deployment
}

const chat = (extra: Record<string, unknown> = {}) => ({ model: 'alias', messages: [{ role: 'user', content: 'hi' }], ...extra })

describe('openai adapter: buildRequest', () => {
  it.each([
    ['https://api.openai.com/v1', '/v1/chat/completions'],
    ['https://openrouter.ai/api/v1', '/api/v1/chat/completions'],
    ['http://127.0.0.1:11434/v1/', '/v1/chat/completions'],
    ['http://vllm.internal:8000', '/chat/completions']
  ])('joins the base path of %s and /chat/completions', (baseUrl, path) => {
    expect(openaiAdapter.buildRequest('chat.completions', chat(), deploymentAt(baseUrl)).path).toBe(path)
  })

  it('sends the provider key as a bearer token, and no authorization for keyless providers', () => {
    expect(openaiAdapter.buildRequest('chat.completions', chat(), deploymentAt('https://api.openai.com/v1', 'sk-123')).headers)
      .toMatchObject({ authorization: 'Bearer sk-123', 'content-type': 'application/json' })
    expect(openaiAdapter.buildRequest('chat.completions', chat(), deploymentAt('http://127.0.0.1:11434/v1')).headers)
      .not.toHaveProperty('authorization')
  })

  it('replaces the alias with the deployment model and forwards every other field untouched', () => {
    const body = chat({ temperature: 0.2, tools: [{ type: 'function', function: { name: 'f' } }], user: 'u1' })
    const sent = JSON.parse(openaiAdapter.buildRequest('chat.completions', body, deploymentAt('https://x.test/v1')).body) as Record<string, unknown>
    expect(sent).toEqual({ ...body, model: 'upstream-model' })
    expect(sent).not.toHaveProperty('stream_options')
  })

  it('always asks a stream for usage, keeping the client\'s other stream options', () => {
    const d = deploymentAt('https://x.test/v1')
    const send = (extra: Record<string, unknown>) => JSON.parse(openaiAdapter.buildRequest('chat.completions', chat({ stream: true, ...extra }), d).body) as { stream_options: unknown }
    expect(send({}).stream_options).toEqual({ include_usage: true })
    expect(send({ stream_options: null }).stream_options).toEqual({ include_usage: true })
    expect(send({ stream_options: { include_obfuscation: false } }).stream_options).toEqual({ include_obfuscation: false, include_usage: true })
    // Accounting needs usage even when the client said no; the gateway hides the chunk from it.
    expect(send({ stream_options: { include_usage: false } }).stream_options).toEqual({ include_usage: true })
  })
})

describe('openai adapter: parseResponse / parseError', () => {
  it('parses a completion and rejects JSON that is not one', () => {
    expect(openaiAdapter.parseResponse('chat.completions', '{"id":"c1","choices":[]}')).toEqual({ id: 'c1', choices: [] })
    expect(() => openaiAdapter.parseResponse('chat.completions', '<html>')).toThrow(SyntaxError)
    expect(() => openaiAdapter.parseResponse('chat.completions', '{"ok":true}')).toThrow(/no "choices" array/)
  })

  it.each([
    ['{"error":{"message":"m","type":"t","code":"c","param":null}}', { message: 'm', type: 't', code: 'c' }],
    ['{"error":{"message":"User not found.","code":401}}', { message: 'User not found.', code: '401' }],
    ['{"error":"model not found"}', { message: 'model not found' }],
    ['{"detail":"Not Found"}', { message: 'Not Found' }],
    ['{"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"inner"}}}', { message: 'Provider returned error', code: '400', nested: 'inner' }],
    ['<html>502</html>', {}],
    ['null', {}]
  ])('reads the error body %s', (text, info) => {
    expect(openaiAdapter.parseError(text)).toEqual(info)
  })
})

describe('openai adapter: embeddings', () => {
  it('posts to <basePath>/embeddings with the deployment\'s model, the key, and the rest of the body untouched', () => {
    // Held in a variable: fields the schema does not name pass through (additionalProperties).
    const body = { model: 'alias', input: ['a', 'b'], encoding_format: 'base64', dimensions: 8 }
    const req = openaiAdapter.buildRequest('embeddings', body, deploymentAt('https://openrouter.ai/api/v1', 'sk-123'))
    expect(req.path).toBe('/api/v1/embeddings')
    expect(req.headers).toMatchObject({ authorization: 'Bearer sk-123', 'content-type': 'application/json' })
    // No stream_options or capability rewriting: those are chat parameters.
    expect(JSON.parse(req.body)).toEqual({ model: 'upstream-model', input: ['a', 'b'], encoding_format: 'base64', dimensions: 8 })
  })

  it('parses OpenAI\'s embedding list and refuses bodies that are not one', () => {
    const list = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 5, total_tokens: 5 } }
    expect(openaiAdapter.parseResponse('embeddings', JSON.stringify(list))).toEqual(list)
    expect(() => openaiAdapter.parseResponse('embeddings', '{"id":"c1","choices":[]}')).toThrow(/no "data" array/)
    expect(() => openaiAdapter.parseResponse('embeddings', '<html>')).toThrow(SyntaxError)
  })
})
