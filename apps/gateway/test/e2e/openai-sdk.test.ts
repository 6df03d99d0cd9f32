import { usageEvents } from '@switchyard/db/schema'
import { faults } from '@switchyard/mock-provider'
import { countConnections, infraFor } from '@switchyard/testing'
import { eq } from 'drizzle-orm'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERNAL_TOKEN, startStack, type Stack } from '../helpers/stack.js'

const pg = await infraFor('gateway end to end on Postgres + Redis', ['postgres', 'redis'])

function defineSuite (backend: 'pglite' | 'postgres'): void {
  let stack: Stack
  let client: OpenAI
  let key: { id: string, key: string }

  beforeAll(async () => {
    stack = await startStack({ backend })
    key = await stack.createKey('sdk')
    client = new OpenAI({ apiKey: key.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
  })
  afterAll(async () => { await stack?.close() })

  const usageRow = async (requestId: string | null | undefined) => {
    await stack.gateway.usage.flush()
    const rows = await stack.db.db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId ?? ''))
    expect(rows).toHaveLength(1)
    return rows[0]!
  }

  it('gets a chat completion with usage through gateway, router and provider', async () => {
    const completion = await client.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Hello there, gateway' }] })
    expect(completion.choices[0]?.message.content).toContain('Hello there, gateway')
    const usage = completion.usage!
    expect(usage.prompt_tokens).toBeGreaterThan(0)
    expect(usage.completion_tokens).toBeGreaterThan(0)
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens)

    const row = await usageRow(completion._request_id)
    expect(row).toMatchObject({ apiKeyId: key.id, model: 'mock-gpt', provider: 'mock', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens, statusCode: 200, streamed: false })
  })

  it('streams a chat completion chunk by chunk, with usage when asked for', async () => {
    const stream = await client.chat.completions.create({ model: 'mock-gpt', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Stream me a few words please' }] })
    let content = ''
    let chunks = 0
    let usage: OpenAI.CompletionUsage | undefined | null
    for await (const chunk of stream) {
      chunks++
      content += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage) usage = chunk.usage
    }
    expect(chunks).toBeGreaterThan(3)
    expect(content).toContain('Stream me a few words')
    expect(usage?.total_tokens).toBeGreaterThan(0)

    const { data, response } = await client.chat.completions.create({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'again' }] }).withResponse()
    const seenUsage: unknown[] = []
    for await (const chunk of data) if (chunk.usage) seenUsage.push(chunk.usage)
    // Not asked for: the client sees no usage chunk, but the gateway still accounts the tokens.
    expect(seenUsage).toEqual([])
    const row = await usageRow(response.headers?.get('x-request-id'))
    expect(row.streamed).toBe(true)
    expect(row.totalTokens).toBeGreaterThan(0)
  })

  it('lists the models of the routing table', async () => {
    const ids = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toEqual(expect.arrayContaining(['mock-gpt', 'mock-gpt-mini']))
  })

  it('accepts the key as X-API-Key too', async () => {
    const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-api-key': key.key, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] })
    })
    expect(res.status).toBe(200)
    expect(res.headers?.get('x-request-id')).toMatch(/^req_/)
  })

  it('refuses missing, unknown and revoked keys with 401 and a specific code', async () => {
    const noKey = await fetch(`${stack.gatewayUrl}/v1/models`)
    expect(noKey.status).toBe(401)
    const body = await noKey.json() as { error: { code: string, type: string, request_id: string } }
    expect(body.error).toMatchObject({ code: 'MISSING_API_KEY', type: 'authentication_error' })
    expect(body.error.request_id).toBe(noKey.headers?.get('x-request-id'))

    const unknown = new OpenAI({ apiKey: 'sk-sy-not-a-real-key', baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
    await expect(unknown.models.list()).rejects.toMatchObject({ constructor: OpenAI.AuthenticationError, status: 401, code: 'INVALID_API_KEY' })

    const doomed = await stack.createKey('to revoke')
    const revokedClient = new OpenAI({ apiKey: doomed.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
    await expect(revokedClient.models.list()).resolves.toBeDefined()
    const revoke = await stack.gateway.inject({ method: 'DELETE', url: `/v1/api-keys/${doomed.id}`, headers: { authorization: 'Bearer test-admin-token-0123456789' } })
    expect(revoke.statusCode).toBe(200)
    expect(revoke.json().revoked_at).not.toBeNull()
    const err = await revokedClient.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err).toMatchObject({ status: 401, code: 'API_KEY_REVOKED' })
  })

  it('answers bad requests with 400 and unknown models with 404, each with a specific code', async () => {
    const malformed = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: '{"model": "mock-gpt", "messages": ['
    })
    expect(malformed.status).toBe(400)
    expect((await malformed.json() as { error: { code: string } }).error.code).toBe('INVALID_JSON')

    // A body without messages is exactly what this test sends, past the SDK's types.
    const noMessages = { model: 'mock-gpt' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming
    const missing = await client.chat.completions.create(noMessages).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError)
    expect(missing).toMatchObject({ status: 400, code: 'INVALID_REQUEST', param: 'messages' })

    const unknownModel = await client.chat.completions.create({ model: 'gpt-17-ultra', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError)
    expect(unknownModel).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' })
    expect((unknownModel as Error).message).toContain('gpt-17-ultra')
  })

  it('surfaces provider failures with specific codes, and the SDK does not retry what cannot succeed', async () => {
    const retrying = new OpenAI({ apiKey: key.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 2 })
    const ask = async () => await retrying.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)

    // OpenRouter's "401 User not found": the operator's provider key is bad, not the client's.
    stack.mock.enqueue(faults.userNotFound())
    const before = stack.mock.stats.requests
    const authFailed = await ask()
    expect(authFailed).toBeInstanceOf(OpenAI.InternalServerError)
    expect(authFailed).toMatchObject({ status: 502, code: 'PROVIDER_AUTH_FAILED' })
    expect((authFailed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry')).toBe('false')
    expect(stack.mock.stats.requests - before).toBe(1) // x-should-retry: false stopped the SDK's 2 retries

    stack.mock.enqueue(faults.insufficientQuota())
    expect(await ask()).toMatchObject({ status: 502, code: 'PROVIDER_QUOTA_EXCEEDED' })

    const limitedClient = new OpenAI({ apiKey: key.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
    // Longer than the router's ROUTER_RETRY_AFTER_CAP_MS (10 s): it does not wait, and has no other deployment.
    stack.mock.enqueue(faults.rateLimited({ retryAfterSeconds: 30 }))
    const limited = await limitedClient.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError)
    expect(limited).toMatchObject({ status: 429, code: 'PROVIDER_RATE_LIMITED' })
    expect((limited as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('30')
  })

  it('reuses connections: 100 sequential completions open only a handful of sockets per hop', async () => {
    const atProvider = countConnections(stack.mock.server)
    const atRouter = countConnections(stack.router.server)
    for (let i = 0; i < 100; i++) {
      const c = await client.chat.completions.create({ model: 'mock-gpt-mini', messages: [{ role: 'user', content: `call ${i}` }] })
      expect(c.choices[0]?.message.content).toContain(`call ${i}`)
    }
    atProvider.stop()
    atRouter.stop()
    expect(atProvider.count).toBeLessThanOrEqual(2)
    expect(atRouter.count).toBeLessThanOrEqual(2)
  })

  it('the router refuses calls that do not carry the internal token', async () => {
    const body = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] })
    const providerRequestsBefore = stack.mock.stats.requests
    const without = await fetch(`${stack.routerUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(without.status).toBe(401)
    expect((await without.json() as { error: { code: string } }).error.code).toBe('INVALID_INTERNAL_TOKEN')
    const wrong = await fetch(`${stack.routerUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-internal-token': INTERNAL_TOKEN.replace('0', '1') }, body })
    expect(wrong.status).toBe(401)
    // Refused before any provider call was made.
    expect(stack.mock.stats.requests).toBe(providerRequestsBefore)
  })
}

describe('OpenAI SDK end to end on embedded PGlite', () => defineSuite('pglite'))
describe.skipIf(!pg.ok)('OpenAI SDK end to end on Postgres and Redis', () => defineSuite('postgres'))
