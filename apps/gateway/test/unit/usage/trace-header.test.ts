import { describe, expect, it } from 'vitest'
import { parseTrace } from '../../../src/usage/trace-header.js'

// The router's trace header becomes the usage row's attempts: whatever arrives, what is stored is
// well formed (jsonb refuses NUL, and a refused row would be dropped from its batch).
describe('parseTrace', () => {
  it('reads every attempt with its outcome, status, code and duration', () => {
    expect(parseTrace('[["a/m","a","f",401,"PROVIDER_AUTH_FAILED",12],["b/m","b","s",200,null,30],["c/m","c","c",null,null,0]]')).toEqual([
      { deployment: 'a/m', provider: 'a', outcome: 'failed', upstreamStatus: 401, code: 'PROVIDER_AUTH_FAILED', durationMs: 12 },
      { deployment: 'b/m', provider: 'b', outcome: 'served', upstreamStatus: 200, durationMs: 30 },
      { deployment: 'c/m', provider: 'c', outcome: 'skipped_cooling_down', durationMs: 0 }
    ])
  })

  it('ignores what is not a trace, and drops malformed entries rather than storing them', () => {
    for (const raw of [undefined, '', 'nope', '{"a":1}', '[' + '[1],'.repeat(20) + '[1]]', 'x'.repeat(9000)]) {
      expect(parseTrace(raw)?.length ?? 0).toBe(0)
    }
    expect(parseTrace('[["a/m","a","z",200,null,1],[1,2,3],"x",["b/m","b","s",200,null,1]]')).toEqual([
      { deployment: 'b/m', provider: 'b', outcome: 'served', upstreamStatus: 200, durationMs: 1 }
    ])
  })

  it('cleans hostile fields: control characters, NUL, huge ids, odd codes and numbers', () => {
    const [attempt] = parseTrace(JSON.stringify([[`a\u0000b${'x'.repeat(300)}`, 'p\nq', 'f', 99999, 'drop table;', -5]]))!
    expect(attempt!.deployment).not.toContain('\u0000')
    expect(attempt!.deployment.length).toBeLessThanOrEqual(100)
    expect(attempt!.provider).not.toContain('\n')
    expect(attempt).not.toHaveProperty('upstreamStatus')
    expect(attempt).not.toHaveProperty('code')
    expect(attempt).not.toHaveProperty('durationMs')
  })
})
