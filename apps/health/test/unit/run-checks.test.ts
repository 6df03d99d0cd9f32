import { describe, expect, it } from 'vitest'
import { runChecks, type Check } from '../../src/probes/index.js'
import { runOnce } from '../../src/probes/run-once.js'

describe('runChecks', () => {
  it('reports a check that throws synchronously as down and still reports the others', async () => {
    const checks: Check[] = [
      { name: 'broken', run: () => { throw new Error('bad configuration') } },
      { name: 'fine', run: async () => await runOnce({ name: 'fine', timeoutMs: 100 }, async () => {}) }
    ]

    const report = await runChecks(checks, 100)

    expect(report).toEqual({
      broken: { ok: false, latencyMs: 0, error: 'bad configuration' },
      fine: { ok: true, latencyMs: expect.any(Number) }
    })
  })

  it('runs checks at once: two checks that hang answer together at the deadline', async () => {
    const hang = async (): Promise<void> => await new Promise(() => {})
    const checks: Check[] = ['a', 'b', 'c'].map((name) => ({ name, run: async () => await runOnce({ name, timeoutMs: 200 }, hang) }))

    const started = performance.now()
    const report = await runChecks(checks, 200)
    const ms = performance.now() - started

    expect(ms).toBeLessThan(550)
    for (const name of ['a', 'b', 'c']) expect(report[name]).toMatchObject({ ok: false, error: 'timed out after 200 ms' })
  })
})

describe('runOnce', () => {
  it('turns a synchronous throw inside the attempt into a down result', async () => {
    const result = await runOnce({ name: 'x', timeoutMs: 100, kind: 'postgres' }, () => { throw new Error('boom') })
    expect(result).toEqual({ name: 'x', ok: false, latencyMs: expect.any(Number), error: 'boom', kind: 'postgres' })
  })
})
