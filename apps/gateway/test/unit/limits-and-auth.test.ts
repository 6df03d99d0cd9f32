import { describe, expect, it } from 'vitest'
import { isPlausibleApiKey, generateApiKey } from '../../src/auth/api-key.js'
import { AuthFailureLimiter } from '../../src/auth/failure-limiter.js'
import { KeyCache } from '../../src/auth/key-cache.js'
import { effectiveLimits, type ResolvedKey } from '../../src/auth/resolved-key.js'
import { trustProxyOption } from '../../src/config.js'
import { estimatePromptTokens } from '../../src/quota/estimate.js'
import { minuteWindow, monthLabel, nextMonthStart } from '../../src/quota/period.js'

const plan = { monthlyTokenQuota: 10_000, requestsPerMinute: 20, tokensPerMinute: 5000 }

describe('effective limits: plan ← user overrides ← key overrides', () => {
  it('inherits when a level says nothing', () => {
    expect(effectiveLimits(plan, {}, {})).toEqual({ limits: plan, userMonthlyQuota: 10_000, keyQuota: 'inherit' })
  })

  it('treats null as unlimited and a number as the limit, at each level', () => {
    const r = effectiveLimits(plan, { monthlyTokenQuota: null, requestsPerMinute: 5 }, { requestsPerMinute: null, tokensPerMinute: 100 })
    expect(r.limits).toEqual({ monthlyTokenQuota: null, requestsPerMinute: null, tokensPerMinute: 100 })
    expect(r.userMonthlyQuota).toBeNull()
  })

  it('a key with its own monthly quota keeps the user quota as a second bucket; null exempts the key', () => {
    expect(effectiveLimits(plan, {}, { monthlyTokenQuota: 500 })).toMatchObject({ userMonthlyQuota: 10_000, keyQuota: 'own', limits: { monthlyTokenQuota: 500 } })
    expect(effectiveLimits(plan, {}, { monthlyTokenQuota: null })).toMatchObject({ userMonthlyQuota: 10_000, keyQuota: 'unlimited' })
  })
})

describe('keys that cannot be ours', () => {
  it('accepts issued keys and refuses everything else before any lookup', () => {
    expect(isPlausibleApiKey(generateApiKey())).toBe(true)
    expect(isPlausibleApiKey('sk-sy-' + 'A'.repeat(32))).toBe(true) // the pnpm dev key format
    for (const bad of ['sk-sy-short', 'sk-live-' + 'a'.repeat(43), 'sk-sy-' + 'a'.repeat(44), "sk-sy-' OR 1=1 --" + 'a'.repeat(27),
      'sk-sy-' + 'é'.repeat(43), 'sk-sy-' + 'a'.repeat(10_000), '']) {
      expect(isPlausibleApiKey(bad)).toBe(false)
    }
  })
})

describe('key cache', () => {
  const key = { id: 'k' } as unknown as ResolvedKey
  it('keeps unknown keys apart, so a flood of them cannot evict known keys', () => {
    const cache = new KeyCache({ max: 2, negativeMax: 2, ttlMs: 60_000 })
    cache.set('good', key, cache.generation)
    for (let i = 0; i < 1000; i++) cache.set(`random-${i}`, null, cache.generation)
    expect(cache.get('good')).toBe(key)
    expect(cache.get('random-999')).toBeNull()
    expect(cache.get('random-0')).toBeUndefined()
  })

  it('does not cache a lookup that started before the cache was dropped', () => {
    const cache = new KeyCache({ max: 2, negativeMax: 2, ttlMs: 60_000 })
    const generation = cache.generation
    cache.clear()
    cache.set('stale', key, generation)
    expect(cache.get('stale')).toBeUndefined()
  })
})

describe('failed authentications per client IP', () => {
  it('blocks an address after the limit for the rest of its minute, others unaffected', () => {
    let now = 1_000_000
    const limiter = new AuthFailureLimiter(3, () => now)
    for (let i = 0; i < 3; i++) { expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(0); limiter.recordFailure('1.2.3.4') }
    expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(60)
    expect(limiter.retryAfterSeconds('5.6.7.8')).toBe(0)
    now += 60_000
    expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(0)
  })
})

describe('TRUST_PROXY', () => {
  it('maps to Fastify trustProxy: none, a hop count, or trusted addresses', () => {
    expect(trustProxyOption('false')).toBe(false)
    expect(trustProxyOption('0')).toBe(false)
    const oneHop = trustProxyOption('1') as (a: string, hop: number) => boolean
    expect([oneHop('10.0.0.1', 0), oneHop('10.0.0.1', 1)]).toEqual([true, false])
    expect(trustProxyOption('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1'])
  })
})

describe('token estimates and periods', () => {
  it('estimates ceil(chars / 4) + 4 per message, reading text parts too', () => {
    expect(estimatePromptTokens([{ content: 'abcdefgh' }])).toBe(2 + 4)
    expect(estimatePromptTokens([{ content: [{ type: 'text', text: 'abcd' }, { type: 'image_url' }] }, { content: null }])).toBe(1 + 8)
  })

  it('uses calendar months and minutes in UTC', () => {
    const t = Date.UTC(2026, 11, 31, 23, 59, 30)
    expect(monthLabel(t)).toBe('2026-12')
    expect(nextMonthStart(t).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(minuteWindow(t).remainingMs).toBe(30_000)
  })
})
