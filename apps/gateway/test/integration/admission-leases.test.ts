import { plans, usageEvents } from '@switchyard/db/schema'
import { infraFor, testRedisUrl } from '@switchyard/testing'
import { eq, sum } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLimitedKey, type LimitedKey } from '../helpers/limited-key.js'
import { startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('gateway admission leases on Postgres + Redis', ['postgres', 'redis'])

// "hi" with max_tokens 5: reserved 10 (estimate 1 + 4 per message, + 5); the mock bills 8.
const RESERVED = 10
const BILLED = 8
const LEASE_MS = 300
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!infra.ok)('admission leases: a busy key is admitted locally from blocks taken from Redis', () => {
  let stack: Stack
  let other: Awaited<ReturnType<Stack['startAnotherGateway']>>
  let monitor: Redis
  /** Every command Redis received that names a user's counters (all clients: both gateways). */
  const seen: string[][] = []
  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { ADMISSION_LEASE_MS: String(LEASE_MS) } })
    other = await stack.startAnotherGateway()
    monitor = await new Redis(testRedisUrl).monitor()
    monitor.on('monitor', (_time: string, args: string[]) => { if (args.some((a) => a.includes('{u:'))) seen.push(args) })
  })
  afterAll(async () => {
    monitor?.disconnect()
    await stack?.close()
  })

  const ask = async (url: string, key: string) => await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })
  })
  /** `workers` clients, each sending `each` requests one after another, to the given gateways in turn. */
  const burst = async (urls: string[], key: string, workers: number, each: number): Promise<Response[]> => {
    const all: Response[] = []
    await Promise.all(Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < each; i++) {
        const res = await ask(urls[w % urls.length]!, key)
        await res.arrayBuffer()
        all.push(res)
      }
    }))
    return all
  }
  /** Redis script calls that touched this user's counters. */
  const scriptCallsFor = (k: LimitedKey) => seen.filter((args) => args[0]?.toLowerCase().startsWith('eval') && args.some((a) => a.includes(`{u:${k.userId}}`))).length
  /** The user's counters in Redis, by kind. */
  const counters = async (k: LimitedKey) => {
    const redis = stack.gateway.redis!
    const keys = await redis.keys(`*{u:${k.userId}}*`)
    const value = async (match: (name: string) => boolean) => {
      const name = keys.find(match)
      return name === undefined ? undefined : Number(await redis.get(name))
    }
    return {
      requests: await value((n) => n.endsWith(`}:${k.keyId}`)),
      month: await value((n) => /\}:m:\d{4}-\d{2}$/.test(n)),
      tpm: await value((n) => n.includes(':tpm:'))
    }
  }
  const billedTo = async (userId: string) => {
    await stack.gateway.usage.flush()
    await other.app.usage.flush()
    const [row] = await stack.db.db.select({ total: sum(usageEvents.totalTokens) }).from(usageEvents).where(eq(usageEvents.userId, userId))
    return Number(row?.total ?? 0)
  }
  /** Counting tests must not straddle a minute: the request window and the token minute would roll. */
  const awayFromMinuteEnd = async () => {
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 15_000) await sleep(left + 50)
  }

  it('240 requests of a busy key cost far fewer Redis calls, and once the leases end the counters hold exactly what was used', async () => {
    await awayFromMinuteEnd()
    const k = await createLimitedKey(stack.db, { plan: { requestsPerMinute: 100_000, tokensPerMinute: 10_000_000, monthlyTokenQuota: 1_000_000_000 } })
    const responses = await burst([stack.gatewayUrl], k.key, 8, 30)
    expect(responses.map((r) => r.status)).toEqual(Array(240).fill(200))
    // Without leases every request is one script call; with them a call admits a block.
    expect(scriptCallsFor(k)).toBeLessThan(240 / 4)
    for (const r of responses) {
      const remaining = Number(r.headers.get('x-ratelimit-remaining-requests'))
      expect(remaining).toBeLessThan(100_000)
      // Requests leased and not yet used count as used until they come back: at most a lease
      // (64) being handed back and the one that replaced it.
      expect(remaining).toBeGreaterThanOrEqual(100_000 - 240 - 2 * 64)
      expect(Number(r.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThanOrEqual(10_000_000 - BILLED)
    }
    await sleep(LEASE_MS * 3) // the leases expire and what is left goes back
    expect(await counters(k)).toEqual({ requests: 240, month: 240 * BILLED, tpm: 240 * BILLED })
    expect(await billedTo(k.userId)).toBe(240 * BILLED)
  })

  it('two replicas with leases never admit past a monthly quota, and leave little of it unused', async () => {
    const quota = 6000 // a lease holds at most 1 % of it: 60 tokens, 6 requests
    const k = await createLimitedKey(stack.db, { plan: { requestsPerMinute: 100_000, monthlyTokenQuota: quota } })
    const responses = await burst([stack.gatewayUrl, other.url], k.key, 16, 50)
    const ok = responses.filter((r) => r.status === 200)
    const refused = responses.filter((r) => r.status !== 200)
    expect(ok.length + refused.length).toBe(800)
    const billed = await billedTo(k.userId)
    expect(billed).toBe(ok.length * BILLED)
    expect(billed).toBeLessThanOrEqual(quota)
    // Reserving 10 and billing 8, exact admission lets through at least quota / 10; leases held
    // by one replica when the other is refused cost at most one lease each.
    expect(ok.length).toBeGreaterThanOrEqual(quota / RESERVED - 2 * 6)
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([429]))
    expect(scriptCallsFor(k)).toBeLessThan(800)
    await sleep(LEASE_MS * 3)
    expect((await counters(k)).month).toBe(billed)

    // A key refused at its quota asks Redis once per request, not for a lease and then alone.
    const before = scriptCallsFor(k)
    const more = await burst([stack.gatewayUrl, other.url], k.key, 8, 6)
    expect(more.every((r) => r.status === 429)).toBe(true)
    expect(scriptCallsFor(k) - before).toBeLessThan(48 * 1.25)
  })

  it('a plan change ends a lease: a busy key is refused within the revision poll once its quota is cut', async () => {
    const k = await createLimitedKey(stack.db, { plan: { requestsPerMinute: 100_000, monthlyTokenQuota: 1_000_000_000 } })
    const warm = await burst([stack.gatewayUrl], k.key, 8, 10)
    expect(warm.every((r) => r.status === 200)).toBe(true)
    await stack.db.db.update(plans).set({ monthlyTokenQuota: 1 }).where(eq(plans.name, k.planName))
    const started = Date.now()
    let refusedAfter = Infinity
    while (Date.now() - started < 3000) {
      const statuses = (await burst([stack.gatewayUrl], k.key, 8, 1)).map((r) => r.status)
      if (statuses.every((s) => s === 429)) { refusedAfter = Date.now() - started; break }
    }
    expect(refusedAfter).toBeLessThan(2500)
  })

  it('a replica shutting down gives its leases back at once', async () => {
    await awayFromMinuteEnd()
    const k = await createLimitedKey(stack.db, { plan: { requestsPerMinute: 100_000, monthlyTokenQuota: 1_000_000_000 } })
    const responses = await burst([other.url], k.key, 8, 20)
    expect(responses.every((r) => r.status === 200)).toBe(true)
    expect((await counters(k)).requests).toBeGreaterThanOrEqual(160) // more while a lease is out
    await other.app.close()
    expect(await counters(k)).toEqual({ requests: 160, month: 160 * BILLED, tpm: undefined })
  })
})
