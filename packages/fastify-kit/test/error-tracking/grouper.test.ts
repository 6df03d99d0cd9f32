import { describe, expect, it } from 'vitest'
import { ErrorGrouper, type GroupedLine, type TrackedEvent } from '../../src/index.js'

/** A grouper on a clock the test moves. */
function setup (opts: { windowMs?: number, maxLinesPerWindow?: number, maxGroups?: number } = {}) {
  let now = Date.parse('2026-11-29T12:00:00Z')
  const grouper = new ErrorGrouper({ ...opts, now: () => now })
  return { grouper, advance: (ms: number) => { now += ms } }
}

const failure = (provider: string, status: number, code = status >= 500 ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_RATE_LIMITED'): TrackedEvent => ({
  severity: status >= 500 ? 'error' : 'warning',
  message: `provider "${provider}" failed: ${code}`,
  fingerprint: [provider, String(status), code],
  tags: { provider, status, deployment: 'm', attempt: 1 }
})

/** Occurrences the lines stand for, tallies of withheld lines included. */
const accounted = (lines: GroupedLine[]) => lines.reduce((sum, l) => sum + (l.kind === 'suppressed' ? 0 : l.count) + (l.suppressed?.events ?? 0), 0)

describe('ErrorGrouper', () => {
  it('writes the first occurrence of a fingerprint at once, then one line with the count of repeats per window', () => {
    const { grouper, advance } = setup()
    expect(grouper.record(failure('a', 500))).toMatchObject([{ kind: 'first', severity: 'error', count: 1 }])
    for (let i = 0; i < 99; i++) {
      advance(100)
      expect(grouper.record(failure('a', 500))).toEqual([])
    }
    advance(50_000)
    expect(grouper.tick()).toEqual([]) // 59.9 s into the window
    advance(100)
    expect(grouper.tick()).toMatchObject([{ kind: 'repeats', severity: 'error', count: 99, fingerprint: ['a', '500', 'PROVIDER_UNAVAILABLE'] }])
    expect(grouper.tick()).toEqual([])
  })

  it('keeps counting an outage that goes on, one line per window, and forgets it after a quiet window', () => {
    const { grouper, advance } = setup({ windowMs: 1000 })
    const lines: GroupedLine[] = []
    for (let i = 0; i < 50; i++) { lines.push(...grouper.record(failure('a', 503))); advance(100) }
    expect(lines.map((l) => [l.kind, l.count])).toEqual([['first', 1], ['repeats', 9], ['repeats', 10], ['repeats', 10], ['repeats', 10]])
    advance(1000)
    expect(grouper.tick()).toMatchObject([{ kind: 'repeats', count: 10 }])
    advance(1000)
    expect(grouper.tick()).toEqual([]) // the quiet window closes the group
    expect(grouper.record(failure('a', 503))).toMatchObject([{ kind: 'first', count: 1 }])
  })

  it('groups by fingerprint: different providers, statuses or codes are different lines; 429 and 4xx are warnings', () => {
    const { grouper } = setup()
    const lines = [failure('a', 500), failure('b', 500), failure('a', 502), failure('a', 429), failure('a', 401, 'PROVIDER_AUTH_FAILED'), failure('a', 500)]
      .flatMap((e) => grouper.record(e))
    expect(lines.map((l) => [l.fingerprint.join(' '), l.severity])).toEqual([
      ['a 500 PROVIDER_UNAVAILABLE', 'error'],
      ['b 500 PROVIDER_UNAVAILABLE', 'error'],
      ['a 502 PROVIDER_UNAVAILABLE', 'error'],
      ['a 429 PROVIDER_RATE_LIMITED', 'warning'],
      ['a 401 PROVIDER_AUTH_FAILED', 'warning']
    ])
    expect(grouper.drain()).toMatchObject([{ kind: 'repeats', count: 1, fingerprint: ['a', '500', 'PROVIDER_UNAVAILABLE'] }])
  })

  it('1,000 failures over 300 fingerprints in 10 s: at most the cap of lines, every occurrence accounted for', () => {
    const { grouper, advance } = setup({ maxLinesPerWindow: 20 })
    const lines: GroupedLine[] = []
    for (let i = 0; i < 1000; i++) {
      lines.push(...grouper.record(failure(`p${i % 300}`, 500 + (i % 4))))
      advance(10)
    }
    expect(lines.length).toBe(20)
    const drained = grouper.drain()
    expect(drained.at(-1)).toMatchObject({ kind: 'suppressed', severity: 'error' })
    expect(accounted([...lines, ...drained])).toBe(1000)
  })

  it('reports what the cap withheld on the next line it writes', () => {
    const { grouper, advance } = setup({ windowMs: 1000, maxLinesPerWindow: 2 })
    expect(grouper.record(failure('a', 500))).toHaveLength(1)
    expect(grouper.record(failure('b', 500))).toHaveLength(1)
    expect(grouper.record(failure('c', 429))).toEqual([])
    expect(grouper.record(failure('d', 500))).toEqual([])
    advance(1000)
    // a and b have no repeats (forgotten); c and d were withheld as "first" lines and have none either.
    expect(grouper.tick()).toMatchObject([{ kind: 'suppressed', severity: 'error', suppressed: { lines: 2, events: 2 } }])
    expect(grouper.record(failure('e', 500))).toMatchObject([{ kind: 'first' }])
    expect(grouper.record(failure('f', 500))[0]?.suppressed).toBeUndefined()
  })

  it('bounds the fingerprints it remembers; occurrences beyond are tallied, not lost', () => {
    const { grouper } = setup({ maxGroups: 3, maxLinesPerWindow: 100 })
    const lines = ['a', 'b', 'c', 'd', 'e'].flatMap((p) => grouper.record(failure(p, 500)))
    expect(lines).toHaveLength(3)
    expect(grouper.drain()).toMatchObject([{ kind: 'suppressed', suppressed: { lines: 0, events: 2 } }])
  })

  it('keeps the tags of the latest occurrence and the times of the first and last', () => {
    const { grouper, advance } = setup()
    grouper.record(failure('a', 500))
    advance(1000)
    grouper.record({ ...failure('a', 500), tags: { attempt: 2 } })
    advance(1000)
    grouper.record({ ...failure('a', 500), tags: { attempt: 3 } })
    const [line] = grouper.drain()
    expect(line).toMatchObject({ count: 2, tags: { attempt: 3 } })
    expect((line?.lastAt ?? 0) - (line?.firstAt ?? 0)).toBe(1000)
  })
})
