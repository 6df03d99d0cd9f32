import { infraFor } from '@switchyard/testing'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLimitedKey } from '../helpers/limited-key.js'
import { startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('openai SDK against gateway limits', ['postgres', 'redis'])

describe.skipIf(!infra.ok)('the official OpenAI SDK and the gateway\'s own limits', () => {
  let stack: Stack
  let arrivals = 0
  beforeAll(async () => {
    stack = await startStack({
      backend: 'postgres',
      beforeListen: (app) => { app.addHook('onRequest', async (request) => { if (request.url.startsWith('/v1/chat/')) arrivals++ }) }
    })
  })
  afterAll(async () => { await stack?.close() })

  const ask = async (client: OpenAI) => await client.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })

  it('raises RateLimitError with code QUOTA_EXCEEDED and does not retry it', async () => {
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 12 } })
    const client = new OpenAI({ apiKey: k.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 3 })
    await ask(client) // 8 of 12 used; the next one needs 10
    arrivals = 0
    const err = await ask(client).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    const rateErr = err as InstanceType<typeof OpenAI.RateLimitError>
    expect(rateErr.code).toBe('QUOTA_EXCEEDED')
    expect(rateErr.status).toBe(429)
    expect((rateErr.error as { details?: unknown }).details).toMatchObject({ used: 8, limit: 12, plan: k.planName })
    expect(arrivals).toBe(1)
  })

  it('raises RateLimitError with code RATE_LIMIT_EXCEEDED for the request rate', async () => {
    const k = await createLimitedKey(stack.db, { plan: { requestsPerMinute: 1 } })
    const client = new OpenAI({ apiKey: k.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
    await ask(client)
    const err = await ask(client).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('RATE_LIMIT_EXCEEDED')
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toMatch(/^\d+$/)
  })
})
