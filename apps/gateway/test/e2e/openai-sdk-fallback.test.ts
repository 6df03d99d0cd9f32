import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedUsage, startStack, type Stack } from '../helpers/stack.js'

// A model whose first deployment's provider key is refused (401) is served by its second
// deployment; the client sees one success and the headers say what happened.
describe('fallback through the gateway with the official OpenAI SDK', () => {
  let stack: Stack
  let client: OpenAI

  beforeAll(async () => {
    stack = await startStack({ backend: 'pglite', revokedProvider: true })
    const key = await stack.createKey('fallback')
    client = new OpenAI({ apiKey: key.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
  })
  afterAll(async () => { await stack?.close() })

  it('serves a model from its second deployment when the first answers 401, saying so in the headers', async () => {
    const revoked = stack.revokedMock!
    const revokedBefore = revoked.stats.requests
    const servingBefore = stack.mock.stats.requests

    const { data, response } = await client.chat.completions
      .create({ model: 'mock-gpt-fallback', messages: [{ role: 'user', content: 'Fall back for me' }] })
      .withResponse()

    expect(response.status).toBe(200)
    expect(data.choices[0]?.message.content).toContain('Fall back for me')
    expect(response.headers.get('x-switchyard-deployment')).toBe('mock/mock-gpt')
    expect(response.headers.get('x-switchyard-attempts')).toBe('2')
    // The 401 was not retried on the same deployment: one call each.
    expect(revoked.stats.requests - revokedBefore).toBe(1)
    expect(stack.mock.stats.requests - servingBefore).toBe(1)
    expect(revoked.requests.at(-1)?.path).toBe('/v1/chat/completions')

    const rows = await recordedUsage(stack, response.headers.get('x-request-id'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ model: 'mock-gpt-fallback', provider: 'mock', statusCode: 200 })
  })

  it('a streamed completion falls back the same way, before any content reaches the client', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'mock-gpt-fallback', stream: true, messages: [{ role: 'user', content: 'Stream after falling back' }] })
      .withResponse()
    expect(response.status).toBe(200)
    // The first deployment is in cooldown after its 401 or is tried again: either way the mock serves it.
    expect(response.headers.get('x-switchyard-deployment')).toBe('mock/mock-gpt')
    let content = ''
    for await (const chunk of data) content += chunk.choices[0]?.delta.content ?? ''
    expect(content).toContain('Stream after falling back')
  })
})
