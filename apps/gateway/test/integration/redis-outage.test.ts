import { createServer, connect, type Socket } from 'node:net'
import { usageEvents } from '@switchyard/db/schema'
import { closedPort, infraFor, startBlackhole, testRedisUrl, type Blackhole } from '@switchyard/testing'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createLimitedKey } from '../helpers/limited-key.js'
import { startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('gateway with Redis failing', ['postgres', 'redis'])

/** A TCP relay to the real Redis that can be told to swallow everything from then on. */
async function silenceableRedis (): Promise<{ url: string, silence: () => void, close: () => Promise<void> }> {
  const target = new URL(testRedisUrl)
  const sockets = new Set<Socket>()
  let silent = false
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname)
    for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => {}) }
    client.on('data', (d) => { if (!silent) upstream.write(d) })
    upstream.on('data', (d) => { if (!silent) client.write(d) })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `redis://127.0.0.1:${port}`,
    silence: () => { silent = true },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

const REDIS_TIMEOUT_MS = 200
// Generous: the Redis timeout plus a slow, shared CI machine. What is ruled out is a hang.
const BOUND_MS = REDIS_TIMEOUT_MS + 3000

// Postgres (not the embedded database) because the fallback reads durable totals and boots faster.
describe.skipIf(!infra.ok)('when Redis is unreachable, requests complete or fail fast with a specific code', () => {
  let stack: Stack | undefined
  let hole: Blackhole | undefined
  afterEach(async () => {
    await stack?.close(); stack = undefined
    await hole?.close(); hole = undefined
  })

  const timedAsk = async (key: string) => {
    const started = performance.now()
    const res = await fetch(`${stack!.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
    })
    const body = await res.json() as { error?: { code: string, details?: Record<string, unknown> } }
    return { status: res.status, code: body.error?.code, details: body.error?.details, ms: performance.now() - started }
  }

  const deadRedis = async (kind: 'closed port' | 'silent port') => {
    if (kind === 'closed port') return `redis://127.0.0.1:${await closedPort()}`
    hole = await startBlackhole()
    return `redis://127.0.0.1:${hole.port}`
  }

  for (const kind of ['closed port', 'silent port'] as const) {
    it(`${kind}, failing open: per-process request limits, monthly quota from Postgres totals`, async () => {
      stack = await startStack({ backend: 'postgres', gatewayEnv: { REDIS_URL: await deadRedis(kind), REDIS_COMMAND_TIMEOUT_MS: String(REDIS_TIMEOUT_MS) } })
      const limited = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1000, requestsPerMinute: 5, tokensPerMinute: 500 } })
      const results = []
      for (let i = 0; i < 7; i++) results.push(await timedAsk(limited.key))
      for (const r of results) expect(r.ms).toBeLessThan(BOUND_MS)
      expect(results.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
      expect(results.slice(5).map((r) => r.code)).toEqual(['RATE_LIMIT_EXCEEDED', 'RATE_LIMIT_EXCEEDED'])

      // A user whose recorded usage already fills the quota is refused from the durable total.
      const spent = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 50 } })
      await stack.db.db.insert(usageEvents).values({ apiKeyId: spent.keyId, userId: spent.userId, requestId: `req_spent_${kind.replace(' ', '_')}`, model: 'mock-gpt', totalTokens: 45, statusCode: 200, latencyMs: 1 })
      const refused = await timedAsk(spent.key)
      expect(refused).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED', details: { used: 45, limit: 50 } })
      expect(refused.ms).toBeLessThan(BOUND_MS)
      expect(stack.gateway.redisFallbacks.counts['rate-limit']).toBeGreaterThan(0)
      expect(stack.gateway.redisFallbacks.counts.quota).toBeGreaterThan(0)
    })

    it(`${kind}, failing closed: 503 RATE_LIMIT_STORE_UNAVAILABLE at once`, async () => {
      stack = await startStack({ backend: 'postgres', gatewayEnv: { REDIS_URL: await deadRedis(kind), REDIS_COMMAND_TIMEOUT_MS: String(REDIS_TIMEOUT_MS), RATE_LIMIT_FAIL_OPEN: 'false', QUOTA_FAIL_MODE: 'closed' } })
      const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1000 } })
      for (let i = 0; i < 3; i++) {
        const r = await timedAsk(k.key)
        expect(r).toMatchObject({ status: 503, code: 'RATE_LIMIT_STORE_UNAVAILABLE' })
        expect(r.ms).toBeLessThan(BOUND_MS)
      }
    })
  }

  it('QUOTA_FAIL_MODE=closed alone refuses only keys under a token limit', async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { REDIS_URL: await deadRedis('closed port'), REDIS_COMMAND_TIMEOUT_MS: String(REDIS_TIMEOUT_MS), QUOTA_FAIL_MODE: 'closed' } })
    const unlimited = await createLimitedKey(stack.db)
    const metered = await createLimitedKey(stack.db, { plan: { tokensPerMinute: 1000 } })
    expect((await timedAsk(unlimited.key)).status).toBe(200)
    expect(await timedAsk(metered.key)).toMatchObject({ status: 503, code: 'RATE_LIMIT_STORE_UNAVAILABLE' })
  })

  it('a Redis that goes silent mid-life costs each request at most about the command timeout', async () => {
    const relay = await silenceableRedis()
    onTestFinished(relay.close)
    stack = await startStack({ backend: 'postgres', gatewayEnv: { REDIS_URL: relay.url, REDIS_COMMAND_TIMEOUT_MS: String(REDIS_TIMEOUT_MS) } })
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1000, requestsPerMinute: 100 } })
    expect((await timedAsk(k.key)).status).toBe(200)
    expect(stack.gateway.redisFallbacks.counts).toEqual({ 'rate-limit': 0, quota: 0 })
    relay.silence()
    for (let i = 0; i < 3; i++) {
      const r = await timedAsk(k.key)
      expect(r.status).toBe(200)
      expect(r.ms).toBeLessThan(BOUND_MS)
    }
    expect(stack.gateway.redisFallbacks.counts['rate-limit']).toBeGreaterThan(0)
    expect(stack.gateway.redisFallbacks.counts.quota).toBeGreaterThan(0)
  })

  it('a busy key holding a lease is served from it while Redis is silent, then refused as configured once the lease ends', async () => {
    const relay = await silenceableRedis()
    onTestFinished(relay.close)
    const leaseMs = 1500
    stack = await startStack({ backend: 'postgres', gatewayEnv: { REDIS_URL: relay.url, REDIS_COMMAND_TIMEOUT_MS: String(REDIS_TIMEOUT_MS), RATE_LIMIT_FAIL_OPEN: 'false', QUOTA_FAIL_MODE: 'closed', ADMISSION_LEASE_MS: String(leaseMs) } })
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1_000_000_000, requestsPerMinute: 100_000 } })
    expect((await timedAsk(k.key)).status).toBe(200) // creates the monthly counter (a lease is never taken with a rebuild)
    // Four more at once make the key busy: one of them takes a lease of 20 requests with it.
    expect((await Promise.all(Array.from({ length: 4 }, async () => await timedAsk(k.key)))).map((r) => r.status)).toEqual([200, 200, 200, 200])
    // The requests admitted before the lease settle through Redis (queued for up to 25 ms, after
    // their answers): let that reach Redis first, so what is counted below is only the silence's.
    await vi.waitFor(() => { expect(stack!.gateway.quota.open.size).toBe(0) })
    await stack.gateway.quota.flush()
    relay.silence()
    for (let i = 0; i < 5; i++) expect((await timedAsk(k.key)).status).toBe(200)
    expect(stack.gateway.redisFallbacks.counts).toEqual({ 'rate-limit': 0, quota: 0 }) // Redis was not asked
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 100))
    const after = await timedAsk(k.key)
    expect(after).toMatchObject({ status: 503, code: 'RATE_LIMIT_STORE_UNAVAILABLE' })
    expect(after.ms).toBeLessThan(BOUND_MS)
  })
})
