import { usageEvents } from '@switchyard/db/schema'
import { infraFor } from '@switchyard/testing'
import { eq, sum } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextMonthStart } from '../../src/quota/period.js'
import { createLimitedKey } from '../helpers/limited-key.js'
import { startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('gateway token quotas on Postgres + Redis', ['postgres', 'redis'])

interface ErrorBody { error: { code: string, details?: Record<string, unknown> } }

// "hi" with max_tokens 5: reserved 10 (estimate 1 + 4 per message, + 5); the mock then bills
// 8 (prompt 1 word + 3, answer "Mock reply to: hi" = 4 words).
const RESERVED = 10
const BILLED = 8

describe.skipIf(!infra.ok)('token quotas and tokens per minute (reserve, then settle)', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { DEFAULT_MAX_TOKENS_CAP: '64' } })
  })
  afterAll(async () => { await stack?.close() })

  const ask = async (key: string, extra: Record<string, unknown> = { max_tokens: 5 }) => await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], ...extra })
  })
  const billedTo = async (userId: string) => {
    await stack.gateway.usage.flush()
    const [row] = await stack.db.db.select({ total: sum(usageEvents.totalTokens) }).from(usageEvents).where(eq(usageEvents.userId, userId))
    return Number(row?.total ?? 0)
  }
  /** Tests that count within one minute start early in a minute, so the window cannot roll mid-test. */
  const awayFromMinuteEnd = async () => {
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 8000) await new Promise((resolve) => setTimeout(resolve, left + 50))
  }

  it('50 concurrent requests against room for about 10: usage stays within the quota, the rest get QUOTA_EXCEEDED with details', async () => {
    const quota = 100
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: quota } })
    const responses = await Promise.all(Array.from({ length: 50 }, async () => await ask(k.key)))
    const ok = responses.filter((r) => r.status === 200)
    const refused = responses.filter((r) => r.status !== 200)
    expect(ok.length).toBeGreaterThanOrEqual(quota / RESERVED)
    expect(ok.length).toBeLessThanOrEqual(Math.floor(quota / BILLED))
    const resetAt = nextMonthStart(Date.now()).toISOString()
    for (const r of refused) {
      expect(r.status).toBe(429)
      expect(r.headers.get('x-should-retry')).toBe('false')
      const body = await r.json() as ErrorBody
      expect(body.error.code).toBe('QUOTA_EXCEEDED')
      expect(body.error.details).toMatchObject({ limit: quota, resetAt, plan: k.planName })
      const used = body.error.details?.['used'] as number
      expect(used + RESERVED).toBeGreaterThan(quota)
      expect(used).toBeLessThanOrEqual(quota)
    }
    for (const r of ok) await r.text()

    const billed = await billedTo(k.userId)
    expect(billed).toBe(ok.length * BILLED)
    expect(billed).toBeLessThanOrEqual(quota + RESERVED)

    const usage = await fetch(`${stack.gatewayUrl}/v1/users/me/usage`, { headers: { authorization: `Bearer ${k.key}` } })
    expect(usage.status).toBe(200)
    const report = await usage.json() as Record<string, unknown>
    expect(report).toMatchObject({
      object: 'usage',
      user_id: k.userId,
      plan: k.planName,
      tokens_used: billed,
      quota,
      tokens_remaining: quota - billed,
      reset_at: resetAt,
      requests: ok.length,
      by_model: [{ model: 'mock-gpt', requests: ok.length, prompt_tokens: ok.length * 4, completion_tokens: ok.length * 4, total_tokens: billed }],
      by_day: [{ date: new Date().toISOString().slice(0, 10), requests: ok.length, total_tokens: billed }]
    })
  })

  it('rebuilds a flushed month counter from usage_events instead of starting again at zero', async () => {
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 30 } })
    for (let i = 0; i < 3; i++) expect((await ask(k.key)).status).toBe(200)
    expect(await billedTo(k.userId)).toBe(3 * BILLED)
    const redis = stack.gateway.redis!
    const counters = await redis.keys(`*q:{u:${k.userId}}*`)
    expect(counters.length).toBeGreaterThan(0)
    await redis.del(...counters)

    const res = await ask(k.key)
    expect(res.status).toBe(429)
    const body = await res.json() as ErrorBody
    expect(body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { scope: 'user', used: 3 * BILLED, limit: 30 } })
  })

  it('a key with its own quota is held to it, while its usage also counts for the user', async () => {
    const owner = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1000 } })
    const capped = await createLimitedKey(stack.db, { userId: owner.userId, keyOverrides: { monthlyTokenQuota: 20 } })
    expect((await ask(capped.key)).status).toBe(200)
    expect((await ask(capped.key)).status).toBe(200)
    const res = await ask(capped.key)
    expect(res.status).toBe(429)
    const refused = (await res.json() as ErrorBody & { error: { message: string } }).error
    expect(refused).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { scope: 'key', limit: 20 } })
    expect(refused.message).toContain('quota of the key')
    expect((await ask(owner.key)).status).toBe(200)
    await stack.gateway.usage.flush()
    const usage = await (await fetch(`${stack.gatewayUrl}/v1/users/me/usage`, { headers: { authorization: `Bearer ${owner.key}` } })).json() as { tokens_used: number }
    expect(usage.tokens_used).toBe(3 * BILLED)
  })

  it('refuses a burst over the tokens-per-minute limit with TOKEN_RATE_LIMIT_EXCEEDED and Retry-After', async () => {
    await awayFromMinuteEnd()
    const k = await createLimitedKey(stack.db, { plan: { tokensPerMinute: 25 } })
    const first = await ask(k.key)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('25')
    expect(Number(first.headers.get('x-ratelimit-remaining-tokens'))).toBe(25 - RESERVED)
    expect((await ask(k.key)).status).toBe(200) // 8 settled + 10 reserved = 18
    const limited = await ask(k.key) // 16 settled + 10 > 25
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-should-retry')).toBe('true')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await limited.json() as ErrorBody).error).toMatchObject({ code: 'TOKEN_RATE_LIMIT_EXCEEDED', details: { limit: 25 } })
  })

  it('checks a sequential client against its earlier answers as billed, not as reserved', async () => {
    // 28 per minute: reserved 10, billed 8. Settled: 10 → 8, 18 → 16, 26 → 24, then 34 > 28.
    // Were the earlier answers still counted as reserved, the third (30 > 28) would be refused.
    await awayFromMinuteEnd()
    const k = await createLimitedKey(stack.db, { plan: { tokensPerMinute: 28 } })
    const remaining: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await ask(k.key)
      expect(res.status).toBe(200)
      remaining.push(Number(res.headers.get('x-ratelimit-remaining-tokens')))
      await res.text()
    }
    expect(remaining).toEqual([28 - 10, 28 - 18, 28 - 26])
    expect((await ask(k.key)).status).toBe(429)
  })

  it('brings the counters to the billed usage even when no later request comes to carry the settlement', async () => {
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1000 } })
    const res = await ask(k.key)
    expect(res.status).toBe(200)
    await res.text()
    const redis = stack.gateway.redis!
    const [counter] = await redis.keys(`*q:{u:${k.userId}}:m:*`)
    expect(counter).toBeDefined()
    let value = ''
    for (const deadline = Date.now() + 2000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      value = await redis.get(counter!) ?? ''
      if (value === String(BILLED)) break
    }
    expect(value).toBe(String(BILLED))
  })

  it('refuses at once, not retryable, a request that could never fit the bucket', async () => {
    const k = await createLimitedKey(stack.db, { plan: { tokensPerMinute: 25, monthlyTokenQuota: 1000 } })
    const res = await ask(k.key, { max_tokens: 100 })
    expect(res.status).toBe(429)
    expect(res.headers.get('x-should-retry')).toBe('false')
    expect((await res.json() as ErrorBody).error).toMatchObject({ code: 'REQUEST_EXCEEDS_TOKEN_LIMIT', details: { requested: 5 + 100, limit: 25, limitName: 'tokens per minute' } })
  })

  it('sends the default max_tokens cap upstream when a limited key names none, and nothing for unlimited keys', async () => {
    const limited = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 100_000 } })
    const free = await createLimitedKey(stack.db)
    stack.mock.reset()
    expect((await ask(limited.key, {})).status).toBe(200)
    expect((await ask(free.key, {})).status).toBe(200)
    const bodies = stack.mock.requests.map((r) => r.body as Record<string, unknown>)
    expect(bodies[0]?.['max_completion_tokens']).toBe(64)
    expect(bodies[1]).not.toHaveProperty('max_completion_tokens')
  })

  it('refuses expired keys (401 API_KEY_EXPIRED) and models outside a key\'s allowed list (403 MODEL_NOT_ALLOWED)', async () => {
    const expired = await createLimitedKey(stack.db, { expiresAt: new Date(Date.now() - 1000) })
    const res = await ask(expired.key)
    expect(res.status).toBe(401)
    expect((await res.json() as ErrorBody).error.code).toBe('API_KEY_EXPIRED')

    const narrow = await createLimitedKey(stack.db, { allowedModels: ['mock-gpt'] })
    expect((await ask(narrow.key)).status).toBe(200)
    const other = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${narrow.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-gpt-mini', messages: [{ role: 'user', content: 'hi' }] })
    })
    expect(other.status).toBe(403)
    expect((await other.json() as ErrorBody).error).toMatchObject({ code: 'MODEL_NOT_ALLOWED', details: { model: 'mock-gpt-mini' } })
  })
})

describe.skipIf(!infra.ok)('the answer bound the gateway adds to a body', () => {
  let stack: Stack
  const limit = 4096
  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { BODY_LIMIT_BYTES: String(limit) }, routerEnv: { BODY_LIMIT_BYTES: String(limit) } })
  })
  afterAll(async () => { await stack?.close() })

  it('a body of exactly BODY_LIMIT_BYTES is still served when max_completion_tokens is appended to it', async () => {
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1_000_000 } })
    const shell = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: '' }] })
    const body = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'x'.repeat(limit - shell.length) }] })
    expect(Buffer.byteLength(body)).toBe(limit)
    const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, body })
    expect(res.status).toBe(200)
    await res.text()
    const over = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, body: body.replace('"x', '"xx') })
    expect(over.status).toBe(413)
    expect((await over.json() as ErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE')
  })
})
