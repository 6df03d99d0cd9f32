import { describe, expect, it } from 'vitest'
import { decideStatus } from '../../src/providers/overall-status.js'
import type { ProviderReport } from '../../src/providers/provider-report.js'

const up = { ok: true, latencyMs: 1 }
const down = { ok: false, latencyMs: 1000, error: 'timed out after 1000 ms' }
const allUp = { database: up, redis: up, gateway: up, 'proxy-router': up }

function provider (id: string, state: ProviderReport['state'], optional = false, cooling = false): ProviderReport {
  return {
    id,
    kind: 'openai',
    optional,
    state,
    reachable: state === 'up',
    latencyMs: 5,
    checkedAt: null,
    since: null,
    error: null,
    requests: 0,
    failures: 0,
    errorRate: 0,
    lastError: null,
    cooldowns: cooling ? [{ deployment: `${id}/m`, until: '2026-01-01T00:00:00.000Z', reason: 'repeated_failures' }] : []
  }
}

describe('overall status (docs/adr/0025)', () => {
  it('is healthy when every critical dependency and every provider is up', () => {
    expect(decideStatus(allUp, [provider('a', 'up'), provider('b', 'up', true)], up)).toEqual({ status: 'healthy', reasons: [] })
  })

  it('is unhealthy when a critical dependency is down, whatever the providers do', () => {
    for (const name of Object.keys(allUp)) {
      expect(decideStatus({ ...allUp, [name]: down }, [provider('a', 'up')], up)).toMatchObject({ status: 'unhealthy', reasons: [`${name} down`] })
    }
  })

  it('is degraded when one provider is down but another non-optional one can serve, or only an optional one is down', () => {
    expect(decideStatus(allUp, [provider('a', 'down'), provider('b', 'up')], up)).toMatchObject({ status: 'degraded', reasons: ['provider a down'] })
    expect(decideStatus(allUp, [provider('a', 'up'), provider('local', 'down', true)], up).status).toBe('degraded')
  })

  it('is unhealthy when every non-optional provider is down, even with an optional one up', () => {
    expect(decideStatus(allUp, [provider('a', 'down'), provider('b', 'down'), provider('local', 'up', true)], up))
      .toMatchObject({ status: 'unhealthy', reasons: ['no non-optional provider reachable', 'provider a down', 'provider b down'] })
  })

  it('treats all providers as needed when every one is optional', () => {
    expect(decideStatus(allUp, [provider('a', 'down', true)], up).status).toBe('unhealthy')
    expect(decideStatus(allUp, [provider('a', 'down', true), provider('b', 'up', true)], up).status).toBe('degraded')
  })

  it('is degraded, not unhealthy, while providers are unknown or the router\'s provider report is unreadable', () => {
    expect(decideStatus(allUp, [provider('a', 'unknown')], up)).toMatchObject({ status: 'degraded', reasons: ['provider a not probed yet'] })
    expect(decideStatus(allUp, [provider('a', 'unknown')], { ok: false, latencyMs: 3, error: 'HTTP 401 INVALID_INTERNAL_TOKEN' }))
      .toMatchObject({ status: 'degraded', reasons: ['provider status unavailable (HTTP 401 INVALID_INTERNAL_TOKEN)'] })
  })

  it('is degraded while a deployment cools down', () => {
    expect(decideStatus(allUp, [provider('a', 'up', false, true)], up)).toMatchObject({ status: 'degraded', reasons: ['provider a: 1 deployment(s) cooling down'] })
  })
})
