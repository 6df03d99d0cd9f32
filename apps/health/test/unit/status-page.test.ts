import { describe, expect, it } from 'vitest'
import { ProbeHistory } from '../../src/status/probe-history.js'
import { renderStatusPage } from '../../src/status/render-status-page.js'
import { snapshotOf } from '../../src/status/status-snapshot.js'

describe('status page rendering', () => {
  it('escapes every dynamic string, so an error message cannot inject markup', () => {
    const history = new ProbeHistory()
    history.record({ checks: { '<img src=x onerror=alert(1)>': { ok: false, latencyMs: 3, error: '</td><script>alert("x")</script>' } } })
    const html = renderStatusPage(snapshotOf(history, '1.0"><b>'), 5000)
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('"><b>')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    // The page's own script is the only script element.
    expect(html.match(/<script>/g)).toHaveLength(1)
  })

  it('escapes provider names, probe errors, traffic errors and error groups', () => {
    const history = new ProbeHistory()
    const hostile = '<img src=x onerror=alert(1)>'
    history.record({
      checks: {},
      status: 'degraded',
      reasons: [`provider ${hostile} down`],
      providers: [{
        id: hostile,
        kind: 'openai',
        optional: false,
        state: 'down',
        reachable: false,
        latencyMs: 3,
        checkedAt: null,
        since: null,
        error: { code: 'PROVIDER_AUTH_FAILED', message: hostile },
        requests: 2,
        failures: 1,
        errorRate: 0.5,
        lastError: { code: 'X', message: hostile, at: 'now' },
        cooldowns: [{ deployment: hostile, until: null, reason: hostile }]
      }],
      errorGroups: [{ code: hostile, provider: hostile, count: 1, firstSeen: 'a', lastSeen: 'b', message: hostile }]
    })
    const html = renderStatusPage(snapshotOf(history, 'v'), 5000)
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html.match(/<script>/g)).toHaveLength(1)
  })

  it('remembers since when each dependency is in its state, its last error, and a bounded timeline', () => {
    const history = new ProbeHistory(3)
    history.record({ checks: { redis: { ok: true, latencyMs: 1 } } }, new Date('2026-01-01T00:00:00Z'))
    history.record({ checks: { redis: { ok: false, latencyMs: 500, error: 'timed out after 500 ms' } } }, new Date('2026-01-01T00:00:05Z'))
    history.record({ checks: { redis: { ok: false, latencyMs: 500, error: 'timed out after 500 ms' } } }, new Date('2026-01-01T00:00:10Z'))
    history.record({ checks: { redis: { ok: true, latencyMs: 2 } } }, new Date('2026-01-01T00:00:15Z'))
    const [redis] = history.states()
    expect(redis).toMatchObject({ ok: true, since: '2026-01-01T00:00:15.000Z', lastError: { message: 'timed out after 500 ms', at: '2026-01-01T00:00:10.000Z' } })
    expect(history.rounds().map((r) => r.results['redis']?.ok)).toEqual([false, false, true])
    expect(snapshotOf(history, 'v').overall).toBe('healthy')
  })
})
