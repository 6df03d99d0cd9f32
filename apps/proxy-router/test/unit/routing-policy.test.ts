import { ConfigError } from '@switchyard/config'
import { describe, expect, it } from 'vitest'
import { CooldownBook } from '../../src/routing/cooldown-rules.js'
import { planAttempts } from '../../src/routing/plan-attempts.js'
import { backoffMs, decideRetry, retryAfterMsOf, type RetrySettings } from '../../src/routing/retry-policy.js'
import { parseRoutingTable, type RoutedDeployment } from '../../src/routing/routing-table.js'

const providers = {
  openrouter: { type: 'openai', baseUrl: 'https://openrouter.ai/api/v1' },
  ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' }
}

function deploymentsOf (models: unknown[]): RoutedDeployment[] {
  return [...(parseRoutingTable({ providers, models: { m: models } }, {}).models.get('m') ?? [])]
}

describe('routing table: priorities, weights, cross-provider fallbacks', () => {
  it('list order is the priority; ids are provider/model; weights default to 1', () => {
    const ds = deploymentsOf([{ provider: 'openrouter', model: 'meta/llama-3' }, { provider: 'ollama', model: 'llama3' }])
    expect(ds.map((d) => [d.id, d.priority, d.weight])).toEqual([['openrouter/meta/llama-3', 0, 1], ['ollama/llama3', 1, 1]])
  })

  it.each([
    [[{ provider: 'ollama', model: 'a', weight: 0 }], /\/models\/m\/0\/weight/],
    [[{ provider: 'ollama', model: 'a', priority: 0 }, { provider: 'ollama', model: 'b' }], /gives "priority" to 1 of its 2 deployments/],
    [[{ provider: 'ollama', model: 'a' }, { provider: 'ollama', model: 'a' }], /lists deployment "ollama\/a" twice/]
  ])('refuses %j at boot in one line', (models, message) => {
    let err: unknown
    try { deploymentsOf(models) } catch (e) { err = e }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toMatch(message)
    expect((err as Error).message).not.toContain('\n')
  })
})

describe('planAttempts', () => {
  const none = () => false
  it('goes down the priorities; weights order deployments of equal priority', () => {
    const ds = deploymentsOf([
      { provider: 'openrouter', model: 'x', priority: 0, weight: 3 },
      { provider: 'ollama', model: 'y', priority: 0, weight: 1 },
      { provider: 'ollama', model: 'z', priority: 1 }
    ])
    // random 0.5 of a total weight of 4 falls in x's share (0..3), 0.9 in y's (3..4).
    expect(planAttempts(ds, { isCoolingDown: none, random: () => 0.5 }).map((d) => d.id)).toEqual(['openrouter/x', 'ollama/y', 'ollama/z'])
    expect(planAttempts(ds, { isCoolingDown: none, random: () => 0.9 }).map((d) => d.id)).toEqual(['ollama/y', 'openrouter/x', 'ollama/z'])
  })

  it('weights share the first place in proportion', () => {
    const ds = deploymentsOf([{ provider: 'openrouter', model: 'x', priority: 0, weight: 3 }, { provider: 'ollama', model: 'y', priority: 0, weight: 1 }])
    let first = 0
    for (let i = 0; i < 1000; i++) if (planAttempts(ds, { isCoolingDown: none, random: () => i / 1000 })[0]?.id === 'openrouter/x') first++
    expect(first).toBe(750)
  })

  it('an alias with one deployment tries it, cooling down or not', () => {
    const ds = deploymentsOf([{ provider: 'openrouter', model: 'x' }])
    expect(planAttempts(ds, { isCoolingDown: none, random: Math.random }).map((d) => d.id)).toEqual(['openrouter/x'])
    expect(planAttempts(ds, { isCoolingDown: () => true, random: Math.random }).map((d) => d.id)).toEqual(['openrouter/x'])
  })

  it('leaves out deployments in cooldown, unless all are', () => {
    const ds = deploymentsOf([{ provider: 'openrouter', model: 'x' }, { provider: 'ollama', model: 'y' }])
    expect(planAttempts(ds, { isCoolingDown: (id) => id === 'openrouter/x', random: Math.random }).map((d) => d.id)).toEqual(['ollama/y'])
    expect(planAttempts(ds, { isCoolingDown: () => true, random: Math.random }).map((d) => d.id)).toEqual(['openrouter/x', 'ollama/y'])
  })
})

describe('retry policy', () => {
  const s: RetrySettings = { maxAttemptsPerDeployment: 3, backoffBaseMs: 100, backoffCapMs: 1000, retryAfterCapMs: 5000 }
  const half = () => 0.5

  it.each([
    ['PROVIDER_BAD_REQUEST', 'stop'],
    ['CONTEXT_LENGTH_EXCEEDED', 'stop'],
    ['INTERNAL_ERROR', 'stop'],
    ['PROVIDER_AUTH_FAILED', 'fallback'],
    ['PROVIDER_QUOTA_EXCEEDED', 'fallback'],
    ['PROVIDER_MODEL_UNAVAILABLE', 'fallback'],
    ['PROVIDER_UNAVAILABLE', 'retry'],
    ['PROVIDER_BAD_RESPONSE', 'retry'],
    ['PROVIDER_RATE_LIMITED', 'retry']
  ] as const)('%s → %s', (code, action) => {
    expect(decideRetry({ code, attemptsOnDeployment: 1 }, s, half).action).toBe(action)
  })

  it('timeouts that spent a whole wait fall back at once; connect timeouts are retried', () => {
    for (const timeout of ['headers', 'first_token', 'body']) {
      expect(decideRetry({ code: 'PROVIDER_TIMEOUT', timeout, attemptsOnDeployment: 1 }, s, half)).toEqual({ action: 'fallback' })
    }
    expect(decideRetry({ code: 'PROVIDER_TIMEOUT', timeout: 'connect', attemptsOnDeployment: 1 }, s, half).action).toBe('retry')
  })

  it('honours Retry-After up to the cap, then falls back; stops retrying after max attempts', () => {
    expect(decideRetry({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 1000, attemptsOnDeployment: 1 }, s, half)).toEqual({ action: 'retry', delayMs: 1000 })
    expect(decideRetry({ code: 'PROVIDER_RATE_LIMITED', retryAfterMs: 60_000, attemptsOnDeployment: 1 }, s, half)).toEqual({ action: 'fallback' })
    expect(decideRetry({ code: 'PROVIDER_UNAVAILABLE', attemptsOnDeployment: 3 }, s, half)).toEqual({ action: 'fallback' })
  })

  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, s, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999])
    expect(backoffMs(3, s, () => 0)).toBe(0)
  })

  it('reads retry-after-ms first, then retry-after in seconds or as a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMsOf({ 'retry-after-ms': '150', 'retry-after': '1' }, now)).toBe(150)
    expect(retryAfterMsOf({ 'retry-after': '2' }, now)).toBe(2000)
    expect(retryAfterMsOf({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, now)).toBe(3000)
    expect(retryAfterMsOf({ 'retry-after': 'soon' }, now)).toBeUndefined()
    expect(retryAfterMsOf({}, now)).toBeUndefined()
  })
})

describe('cooldown rules', () => {
  const settings = { threshold: 3, windowMs: 10_000, durationMs: 5000 }

  it('N failures within the window start a cooldown; older failures do not count', () => {
    const book = new CooldownBook(settings)
    book.recordFailure('d', 'PROVIDER_UNAVAILABLE', 0)
    book.recordFailure('d', 'PROVIDER_UNAVAILABLE', 20_000)
    expect(book.recordFailure('d', 'PROVIDER_UNAVAILABLE', 21_000)).toEqual([])
    expect(book.recordFailure('d', 'PROVIDER_TIMEOUT', 22_000)).toEqual([{ deployment: 'd', state: 'cooling_down', reason: 'repeated_failures', until: 27_000 }])
    expect(book.isCoolingDown('d', 26_999)).toBe(true)
    expect(book.isCoolingDown('d', 27_000)).toBe(false)
    expect(book.expire(27_000)).toEqual([{ deployment: 'd', state: 'available' }])
  })

  it('a 429 with Retry-After cools down for that long; 401 at once; the client\'s own errors never', () => {
    const book = new CooldownBook(settings)
    expect(book.recordFailure('r', 'PROVIDER_RATE_LIMITED', 0, 1500)).toMatchObject([{ reason: 'rate_limited', until: 1500 }])
    expect(book.recordFailure('a', 'PROVIDER_AUTH_FAILED', 0)).toMatchObject([{ reason: 'auth_failed', until: 5000 }])
    for (let i = 0; i < 5; i++) expect(book.recordFailure('c', 'CONTEXT_LENGTH_EXCEEDED', i)).toEqual([])
    expect(book.snapshot(['r', 'a', 'c'], 1000)).toEqual([
      { deployment: 'r', state: 'cooling_down', until: 1500, reason: 'rate_limited', recentFailures: 0 },
      { deployment: 'a', state: 'cooling_down', until: 5000, reason: 'auth_failed', recentFailures: 0 },
      { deployment: 'c', state: 'available', recentFailures: 0 }
    ])
  })

  it('a success ends the failure streak', () => {
    const book = new CooldownBook(settings)
    book.recordFailure('d', 'PROVIDER_UNAVAILABLE', 0)
    book.recordFailure('d', 'PROVIDER_UNAVAILABLE', 1)
    book.recordSuccess('d', 2)
    expect(book.recordFailure('d', 'PROVIDER_UNAVAILABLE', 3)).toEqual([])
  })

  it('a success while cooling down (every deployment was) ends the cooldown, logged once', () => {
    const book = new CooldownBook(settings)
    book.recordFailure('d', 'PROVIDER_AUTH_FAILED', 0)
    expect(book.recordSuccess('d', 1)).toEqual([{ deployment: 'd', state: 'available' }])
    expect(book.isCoolingDown('d', 2)).toBe(false)
    expect(book.expire(10_000)).toEqual([])
  })
})
