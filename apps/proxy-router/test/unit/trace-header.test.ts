import { describe, expect, it } from 'vitest'
import { encodeTrace, maxTraceAttempts, type TraceAttempt } from '../../src/upstream/trace-header.js'

const attempt = (deployment: string, extra: Partial<TraceAttempt> = {}): TraceAttempt =>
  ({ deployment, provider: 'p', outcome: 'f', upstreamStatus: 503, code: 'PROVIDER_UNAVAILABLE', durationMs: 12.6, ...extra })

describe('encodeTrace', () => {
  it('writes compact JSON with whole milliseconds', () => {
    expect(encodeTrace([attempt('p/a'), attempt('p/b', { outcome: 's', upstreamStatus: 200, code: null, durationMs: 0.2 })]))
      .toBe('[["p/a","p","f",503,"PROVIDER_UNAVAILABLE",13],["p/b","p","s",200,null,0]]')
  })

  it('stays printable ASCII for ids with non-ASCII, DEL or control characters, and still parses back', () => {
    const id = 'prov/modèle-日本\u007f\u0001"x'
    const value = encodeTrace([attempt(id)])
    expect(value).toMatch(/^[\x20-\x7e]+$/)
    expect((JSON.parse(value) as unknown[][])[0]?.[0]).toBe(id)
  })

  it('is bounded: long ids are cut, and past the cap the first attempts and the last are kept', () => {
    const many = Array.from({ length: 40 }, (_, i) => attempt(`${'d'.repeat(500)}${i}`))
    many.push(attempt('last', { outcome: 's' }))
    const parsed = JSON.parse(encodeTrace(many)) as unknown[][]
    expect(parsed).toHaveLength(maxTraceAttempts)
    expect(parsed.at(-1)?.[0]).toBe('last')
    expect(String(parsed[0]?.[0]).length).toBe(100)
    expect(encodeTrace(many).length).toBeLessThan(4096)
  })
})
