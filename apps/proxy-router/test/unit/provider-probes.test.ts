import { describe, expect, it } from 'vitest'
import { ErrorGroups } from '../../src/probes/error-groups.js'
import type { ProbeOutcome } from '../../src/probes/probe-provider.js'
import { probeRequestFor } from '../../src/probes/probe-request.js'
import { ProviderProbes } from '../../src/probes/provider-probes.js'
import { sanitizeMessage } from '../../src/probes/sanitize.js'
import { TrafficStats } from '../../src/probes/traffic-stats.js'

const target = { id: 'p', baseUrl: 'https://api.example.com/v1', origin: 'https://api.example.com', basePath: '/v1', apiKey: 'sk-secret-key-123456' }

describe('provider probes', () => {
  it('asks for the model list, never a completion, with each type\'s own auth headers', () => {
    expect(probeRequestFor({ ...target, type: 'openai' })).toEqual({ path: '/v1/models', headers: { authorization: 'Bearer sk-secret-key-123456' } })
    expect(probeRequestFor({ ...target, type: 'openai', apiKey: undefined })).toEqual({ path: '/v1/models', headers: {} })
    expect(probeRequestFor({ ...target, type: 'anthropic' })).toEqual({ path: '/v1/models', headers: { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-secret-key-123456' } })
    expect(probeRequestFor({ ...target, type: 'carrier-pigeon' })).toBeUndefined()
  })

  it('probes each provider at most once per interval however often it is asked, and keeps since across equal states', async () => {
    let now = 1_000_000
    let calls = 0
    let next: ProbeOutcome = { state: 'up', latencyMs: 5 }
    const probes = new ProviderProbes(['a'], { intervalMs: 30_000, now: () => now, probe: async () => { calls++; return next } })
    expect(probes.state('a')).toEqual({ state: 'unknown' })

    await Promise.all(Array.from({ length: 100 }, async () => await probes.refreshStale()))
    expect(calls).toBe(1)
    expect(probes.state('a')).toMatchObject({ state: 'up', since: 1_000_000, checkedAt: 1_000_000 })

    now += 29_999
    await probes.refreshStale()
    expect(calls).toBe(1)
    now += 1
    await probes.refreshStale()
    expect(calls).toBe(2)
    expect(probes.state('a')).toMatchObject({ state: 'up', since: 1_000_000, checkedAt: 1_030_000 })

    next = { state: 'down', latencyMs: 1000, error: { code: 'PROVIDER_TIMEOUT', message: 'no answer within 1000 ms' } }
    now += 30_000
    await probes.refreshStale()
    expect(probes.state('a')).toMatchObject({ state: 'down', since: 1_060_000, error: { code: 'PROVIDER_TIMEOUT' } })
  })
})

describe('traffic stats', () => {
  it('counts requests and failures over the window and forgets older buckets', () => {
    let now = 0
    const stats = new TrafficStats(['a'], 300_000, () => now)
    stats.served('a')
    stats.failed('a', { code: 'PROVIDER_UNAVAILABLE', message: 'call answered HTTP 503' })
    stats.served('unknown-provider')
    expect(stats.snapshot('a')).toMatchObject({ requests: 2, failures: 1, errorRate: 0.5, lastError: { code: 'PROVIDER_UNAVAILABLE', at: 0 } })
    now = 290_000
    stats.served('a')
    expect(stats.snapshot('a')).toMatchObject({ requests: 3, failures: 1 })
    now = 310_000
    expect(stats.snapshot('a')).toMatchObject({ requests: 1, failures: 0, errorRate: 0 })
    // The last error is kept (with its time) after it left the window.
    expect(stats.snapshot('a').lastError?.code).toBe('PROVIDER_UNAVAILABLE')
  })
})

describe('error groups', () => {
  it('groups by code and provider, most recent first, and stays bounded', () => {
    let now = 0
    const groups = new ErrorGroups(() => now)
    groups.record('a', { code: 'X', message: 'first' })
    now = 5
    groups.record('b', { code: 'X', message: 'other provider' })
    now = 10
    groups.record('a', { code: 'X', message: 'latest' })
    expect(groups.list()).toEqual([
      { code: 'X', provider: 'a', count: 2, firstSeen: 0, lastSeen: 10, message: 'latest' },
      { code: 'X', provider: 'b', count: 1, firstSeen: 5, lastSeen: 5, message: 'other provider' }
    ])
    for (let i = 0; i < 500; i++) groups.record(`p${i}`, { code: 'Y', message: 'm' })
    expect(groups.list()).toHaveLength(100)
    now += 2 * 60 * 60 * 1000
    expect(groups.list()).toEqual([])
  })
})

describe('sanitizeMessage', () => {
  it('removes the provider key, bearer tokens and URL credentials, and keeps one short line', () => {
    const text = 'failed for sk-secret-key-123456 at https://user:pw@host/v1 with Bearer abc.def\nsecond line'
    const clean = sanitizeMessage(text, ['sk-secret-key-123456'])
    expect(clean).not.toContain('sk-secret-key-123456')
    expect(clean).not.toContain('user:pw')
    expect(clean).not.toContain('abc.def')
    expect(clean).not.toContain('second line')
    expect(sanitizeMessage('x'.repeat(500)).length).toBeLessThanOrEqual(200)
  })
})
