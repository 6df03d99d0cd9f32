import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { createMockProvider } from '../src/index.js'
import { chatBody, postJson, testAgent } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'

const KEY = 'sk-mock-0123456789abcdefABCD'

describe('apiKey', () => {
  it('answers OpenAI\'s 401 invalid_api_key, key masked, to a wrong bearer key', async () => {
    const provider = await startForTest({ apiKey: KEY })
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'), { headers: { authorization: 'Bearer sk-wrong-key-00000000wxyz' } })
    expect(res.statusCode).toBe(401)
    expect(await res.body.json()).toEqual({
      error: {
        message: 'Incorrect API key provided: sk-wrong*************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key'
      }
    })
  })

  it('answers OpenAI\'s 401 "You didn\'t provide an API key" without a bearer key', async () => {
    const provider = await startForTest({ apiKey: KEY })
    const headerSets: Array<Record<string, string>> = [{}, { authorization: KEY }, { 'x-api-key': KEY }]
    for (const headers of headerSets) {
      const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'), { headers })
      expect(res.statusCode).toBe(401)
      const { error } = await res.body.json() as { error: Record<string, unknown> }
      expect(error).toMatchObject({ type: 'invalid_request_error', param: null, code: null })
      expect(error['message']).toMatch(/^You didn't provide an API key\./)
    }
    const models = await request(`${provider.baseUrl}/models`)
    expect(models.statusCode).toBe(401)
    await models.body.dump()
  })

  it('serves requests that carry Authorization: Bearer <apiKey>', async () => {
    const provider = await startForTest({ apiKey: KEY })
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'), { headers: { authorization: `Bearer ${KEY}` } })
    expect(res.statusCode).toBe(200)
    await res.body.dump()
    const models = await request(`${provider.baseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } })
    expect(models.statusCode).toBe(200)
    await models.body.dump()
  })
})

describe('recorded requests', () => {
  it('records method, path, headers and parsed body of every request, refused ones included', async () => {
    const provider = await startForTest({ apiKey: KEY })
    const body = chatBody('hi', { stream: true, stream_options: { include_usage: true } })
    await (await postJson(`${provider.baseUrl}/chat/completions?trace=1`, body, { headers: { authorization: `Bearer ${KEY}`, 'x-custom': 'yes' } })).body.dump()
    await (await postJson(`${provider.baseUrl}/chat/completions`, body, { headers: { authorization: 'Bearer nope' } })).body.dump()
    await (await request(`${provider.baseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } })).body.dump()

    const [first, refused, list] = provider.requests
    expect(first).toMatchObject({ method: 'POST', path: '/v1/chat/completions', url: '/v1/chat/completions?trace=1', body })
    expect(first?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'x-custom': 'yes', 'content-type': 'application/json' })
    expect(refused).toMatchObject({ method: 'POST', body, headers: { authorization: 'Bearer nope' } })
    expect(list).toMatchObject({ method: 'GET', path: '/v1/models', body: undefined })
    expect(provider.stats.requests).toBe(3)
  })

  it('keeps only the newest maxRecordedRequests, while stats count them all', async () => {
    const provider = await startForTest({ maxRecordedRequests: 2 })
    for (const word of ['a', 'b', 'c']) await (await postJson(`${provider.baseUrl}/chat/completions`, chatBody(word))).body.dump()
    expect(provider.requests.map((r) => (r.body as { messages: Array<{ content: string }> }).messages[0]?.content)).toEqual(['b', 'c'])
    expect(provider.stats.requests).toBe(3)
  })
})

describe('connections', () => {
  it('counts one connection for sequential requests reusing a keep-alive socket', async () => {
    const provider = await startForTest()
    // One socket per origin: undici releases a socket a tick after the body ends, so an unbounded
    // pool may open a second one for a request sent at once; that would be the client, not the mock.
    const agent = testAgent({ keepAliveTimeout: 5000, connections: 1 })
    for (let i = 0; i < 5; i++) {
      const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody(`n${i}`), { dispatcher: agent })
      await res.body.dump()
    }
    expect(provider.stats).toEqual({ requests: 5, connections: 1 })
  })

  it('counts a new connection per client that does not reuse sockets', async () => {
    const provider = await startForTest()
    for (let i = 0; i < 3; i++) {
      const agent = testAgent()
      await (await postJson(`${provider.baseUrl}/chat/completions`, chatBody('x'), { dispatcher: agent })).body.dump()
      await agent.close()
    }
    expect(provider.stats).toEqual({ requests: 3, connections: 3 })
  })
})

describe('createMockProvider', () => {
  it('builds the provider without listening, usable through inject()', async () => {
    const provider = await createMockProvider({ models: ['m1'] })
    try {
      expect(provider.server.listening).toBe(false)
      const res = await provider.app.inject({ method: 'POST', url: '/v1/chat/completions', payload: chatBody('inject me') })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ choices: [{ message: { content: 'Mock reply to: inject me' } }] })
      expect(provider.stats.requests).toBe(1)
    } finally {
      await provider.close()
    }
  })
})
