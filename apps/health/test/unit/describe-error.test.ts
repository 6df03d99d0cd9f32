import { describe, expect, it } from 'vitest'
import { ProbeFailure, describeProbeError } from '../../src/probes/describe-error.js'

describe('describeProbeError', () => {
  it('says "timed out after N ms" for every client\'s timeout', () => {
    const timeouts = [
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
      Object.assign(new Error('write CONNECT_TIMEOUT 10.0.0.1:5432'), { code: 'CONNECT_TIMEOUT' }),
      Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })
    ]
    for (const err of timeouts) expect(describeProbeError(err, 750)).toBe('timed out after 750 ms')
  })

  it('reports system errors by their code', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' })
    expect(describeProbeError(err, 1000)).toBe('ECONNREFUSED')
  })

  it('never repeats credentials from a connection string', () => {
    const err = new Error('could not connect to postgres://app:hunter2-secret@db.internal:5432/app\nstack...')
    const described = describeProbeError(err, 1000)
    expect(described).not.toContain('hunter2')
    expect(described).toBe('could not connect to postgres://[redacted]@db.internal:5432/app')
  })

  it('keeps our own failure messages and shortens long ones to one short line', () => {
    expect(describeProbeError(new ProbeFailure('HTTP 503'), 1000)).toBe('HTTP 503')
    expect(describeProbeError(new Error('x'.repeat(500)), 1000).length).toBeLessThanOrEqual(160)
    expect(describeProbeError('plain string', 1000)).toBe('plain string')
  })
})
