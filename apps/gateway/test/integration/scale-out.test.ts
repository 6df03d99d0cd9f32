import { apiKeys, plans } from '@switchyard/db/schema'
import { infraFor } from '@switchyard/testing'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLimitedKey } from '../helpers/limited-key.js'
import { ADMIN_TOKEN, startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('gateway scale-out on Postgres + Redis', ['postgres', 'redis'])

describe.skipIf(!infra.ok)('two gateway instances sharing one Postgres and one Redis', () => {
  let stack: Stack
  let other: { url: string }
  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres' }) // default AUTH_REVISION_POLL_MS (1 s)
    other = await stack.startAnotherGateway()
  })
  afterAll(async () => { await stack?.close() })

  const ask = async (url: string, key: string) => await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] })
  })

  it('a key limited to 60 requests a minute gets at most 60 successes across both, the rest 429 with Retry-After', async () => {
    const k = await createLimitedKey(stack.db, { plan: { requestsPerMinute: 60 } })
    const urls = [stack.gatewayUrl, other.url]
    const responses = await Promise.all(Array.from({ length: 80 }, async (_, i) => await ask(urls[i % 2]!, k.key)))
    const ok = responses.filter((r) => r.status === 200)
    const limited = responses.filter((r) => r.status === 429)
    // The window may roll over during the burst, which can only lower the count of refusals.
    expect(ok.length).toBeLessThanOrEqual(60)
    expect(ok.length + limited.length).toBe(80)
    expect(limited.length).toBeGreaterThanOrEqual(20)
    expect(ok[0]?.headers.get('x-ratelimit-limit-requests')).toBe('60')
    expect(ok[0]?.headers.get('x-ratelimit-remaining-requests')).toMatch(/^\d+$/)
    expect(ok[0]?.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/)
    for (const r of limited) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await r.json() as { error: { code: string } }).error.code).toBe('RATE_LIMIT_EXCEEDED')
    }
    for (const r of ok) await r.text()
  })

  const refusedWithin = async (url: string, key: string, ms: number, status = 401): Promise<number> => {
    const started = Date.now()
    while (Date.now() - started < ms) {
      const res = await ask(url, key)
      await res.text()
      if (res.status === status) return Date.now() - started
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return Infinity
  }

  it('a key revoked with plain SQL is refused by both instances within 2 seconds', async () => {
    const k = await createLimitedKey(stack.db)
    expect((await ask(stack.gatewayUrl, k.key)).status).toBe(200)
    expect((await ask(other.url, k.key)).status).toBe(200) // now cached on both
    await stack.db.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, k.keyId))
    expect(await refusedWithin(other.url, k.key, 2000)).toBeLessThan(2000)
    expect(await refusedWithin(stack.gatewayUrl, k.key, 2000)).toBeLessThan(2000)
  })

  it('a key revoked through the admin API of one instance is refused by the other within 2 seconds', async () => {
    const { key, id } = await stack.createKey('revoke me')
    expect((await ask(other.url, key)).status).toBe(200)
    const revoked = await fetch(`${stack.gatewayUrl}/v1/api-keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(revoked.status).toBe(200)
    expect(await refusedWithin(other.url, key, 2000)).toBeLessThan(2000)
    const res = await ask(other.url, key)
    expect((await res.json() as { error: { code: string } }).error.code).toBe('API_KEY_REVOKED')
  })

  it('a plan change made with SQL applies on both instances within 2 seconds', async () => {
    const k = await createLimitedKey(stack.db)
    expect((await ask(stack.gatewayUrl, k.key)).status).toBe(200)
    expect((await ask(other.url, k.key)).status).toBe(200)
    await stack.db.db.update(plans).set({ monthlyTokenQuota: 1 }).where(eq(plans.name, k.planName))
    expect(await refusedWithin(other.url, k.key, 2000, 429)).toBeLessThan(2000)
    expect(await refusedWithin(stack.gatewayUrl, k.key, 2000, 429)).toBeLessThan(2000)
  })
})
