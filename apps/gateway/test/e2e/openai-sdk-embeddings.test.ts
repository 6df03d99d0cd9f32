import { DEFAULT_EMBEDDING_DIMENSIONS, faults } from '@switchyard/mock-provider'
import { infraFor } from '@switchyard/testing'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLimitedKey } from '../helpers/limited-key.js'
import { recordedUsage, startStack, type Stack } from '../helpers/stack.js'

// POST /v1/embeddings through gateway → router → mock provider with the official SDK: the same
// auth, retries, quotas and usage accounting as chat completions.

const infra = await infraFor('embeddings with token quotas on Postgres + Redis', ['postgres', 'redis'])

const apiError = (e: unknown) => e as InstanceType<typeof OpenAI.APIError>

describe('embeddings through the gateway with the official OpenAI SDK', () => {
  let stack: Stack
  let client: OpenAI
  let key: { id: string, key: string }

  beforeAll(async () => {
    stack = await startStack({ backend: 'pglite' })
    key = await stack.createKey('embeddings')
    client = new OpenAI({ apiKey: key.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
  })
  afterAll(async () => { await stack?.close() })

  it('returns one vector per input and records one usage row with the provider\'s prompt tokens', async () => {
    // The SDK asks for base64 by default and decodes it: the bytes pass through untouched.
    const { data, response } = await client.embeddings.create({ model: 'mock-embedding', input: ['The quick brown fox', 'jumps over the lazy dog'] }).withResponse()
    expect(data.data.map((d) => d.index)).toEqual([0, 1])
    for (const d of data.data) {
      expect(d.embedding).toHaveLength(DEFAULT_EMBEDDING_DIMENSIONS)
      expect(d.embedding.every((x) => Number.isFinite(x))).toBe(true)
    }
    expect(data.usage.prompt_tokens).toBeGreaterThan(0)
    expect(response.headers.get('x-switchyard-deployment')).toBe('mock/mock-embedding')

    const rows = await recordedUsage(stack, response.headers.get('x-request-id'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      apiKeyId: key.id,
      endpoint: 'embeddings',
      model: 'mock-embedding',
      provider: 'mock',
      promptTokens: data.usage.prompt_tokens,
      completionTokens: 0,
      totalTokens: data.usage.total_tokens,
      estimated: false,
      streamed: false,
      statusCode: 200
    })
  })

  it('accepts float vectors and a single string as input', async () => {
    const res = await client.embeddings.create({ model: 'mock-embedding', input: 'one text', encoding_format: 'float', dimensions: 8 })
    expect(res.data).toHaveLength(1)
    expect(res.data[0]?.embedding).toHaveLength(8)
  })

  it('is retried by the router after a provider 500, and the headers say so', async () => {
    stack.mock.enqueue(faults.serverError(500))
    const { data, response } = await client.embeddings.create({ model: 'mock-embedding', input: 'retry me' }).withResponse()
    expect(data.data).toHaveLength(1)
    expect(response.headers.get('x-switchyard-attempts')).toBe('2')
  })

  it('refuses what it must with specific codes: no key, unknown model, bad input, a provider without embeddings', async () => {
    const anonymous = new OpenAI({ apiKey: 'sk-sy-not-a-real-key', baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
    expect(await anonymous.embeddings.create({ model: 'mock-embedding', input: 'x' }).catch(apiError)).toMatchObject({ status: 401, code: 'INVALID_API_KEY' })

    expect(await client.embeddings.create({ model: 'no-such-model', input: 'x' }).catch(apiError)).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' })

    const before = stack.mock.stats.requests
    for (const input of [[], 42, [[]], [{ text: 'x' }]]) {
      const bad = { model: 'mock-embedding', input } as unknown as OpenAI.EmbeddingCreateParams
      expect(await client.embeddings.create(bad).catch(apiError)).toMatchObject({ status: 400, code: 'INVALID_REQUEST' })
    }
    expect(stack.mock.stats.requests).toBe(before)

    const anthropic = await client.embeddings.create({ model: 'mock-claude', input: 'x' }).catch(apiError)
    expect(anthropic).toBeInstanceOf(OpenAI.BadRequestError)
    expect(anthropic).toMatchObject({ status: 400, code: 'OPERATION_NOT_SUPPORTED' })
    expect(stack.mock.stats.requests).toBe(before)
  })
})

describe.skipIf(!infra.ok)('embeddings and token quotas (Postgres + Redis)', () => {
  let stack: Stack
  beforeAll(async () => { stack = await startStack({ backend: 'postgres' }) })
  afterAll(async () => { await stack?.close() })

  it('reserves the input\'s estimate, bills the provider\'s count, and refuses once the quota is spent', async () => {
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 30 } })
    const client = new OpenAI({ apiKey: k.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })

    // ~200 characters ≈ 50 tokens: more than the whole quota, refused before any provider call.
    const before = stack.mock.stats.requests
    const tooBig = await client.embeddings.create({ model: 'mock-embedding', input: 'lorem ipsum '.repeat(17) }).catch(apiError)
    expect(tooBig).toMatchObject({ status: 429, code: 'REQUEST_EXCEEDS_TOKEN_LIMIT' })
    expect(stack.mock.stats.requests).toBe(before)

    const first = await client.embeddings.create({ model: 'mock-embedding', input: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen' })
    const billed = first.usage.total_tokens
    expect(billed).toBeGreaterThan(0)
    expect(billed).toBeLessThan(30)

    // Keep asking until the quota refuses: the refusal reports exactly what the provider counted.
    let refused: InstanceType<typeof OpenAI.APIError> | undefined
    let used = billed
    for (let i = 0; i < 10 && refused === undefined; i++) {
      const res = await client.embeddings.create({ model: 'mock-embedding', input: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen' }).catch(apiError)
      if (res instanceof OpenAI.APIError) refused = res
      else used += (res as OpenAI.CreateEmbeddingResponse).usage.total_tokens
    }
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError)
    expect(refused).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED' })
    expect((refused?.error as { details?: { used?: number } }).details?.used).toBe(used)
  })
})
