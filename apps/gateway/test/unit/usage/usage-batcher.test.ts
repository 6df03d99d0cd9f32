import type { NewUsageEvent } from '@switchyard/db/schema'
import { describe, expect, it } from 'vitest'
import { UsageBatcher, type UsageBatcherOptions } from '../../../src/usage/usage-batcher.js'

// The batching policy on its own, with a writer the test controls (the Postgres suites in
// test/integration/usage-*.test.ts run the same code against real databases).

function event (i: number): NewUsageEvent {
  return { apiKeyId: '00000000-0000-0000-0000-000000000000', requestId: `req-${i}`, model: 'm', statusCode: 200, latencyMs: 1 }
}

interface Harness { batcher: UsageBatcher, batches: NewUsageEvent[][], warnings: Array<Record<string, unknown>>, errors: Array<Record<string, unknown>> }

function harness (opts: Partial<UsageBatcherOptions> & { fail?: (rows: NewUsageEvent[]) => unknown } = {}): Harness {
  const batches: NewUsageEvent[][] = []
  const warnings: Array<Record<string, unknown>> = []
  const errors: Array<Record<string, unknown>> = []
  const batcher = new UsageBatcher({
    write: async (rows) => {
      const failure = opts.fail?.(rows)
      if (failure !== undefined) throw failure
      batches.push(rows)
    },
    maxRows: 10,
    flushIntervalMs: 20,
    maxBuffered: 1000,
    writeTimeoutMs: 1000,
    retryBaseMs: 5,
    retryMaxMs: 20,
    log: { info: () => {}, warn: (o) => warnings.push(o as Record<string, unknown>), error: (o) => errors.push(o as Record<string, unknown>) },
    ...opts
  })
  return { batcher, batches, warnings, errors }
}

const ids = (batches: NewUsageEvent[][]) => batches.flat().map((e) => e.requestId)

describe('UsageBatcher', () => {
  it('writes events recorded together as multi-row inserts of at most maxRows', async () => {
    const { batcher, batches } = harness()
    for (let i = 0; i < 25; i++) batcher.record(event(i))
    expect(batches).toHaveLength(0) // record() never writes inline
    expect(await batcher.flush(5000)).toBe(true)
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5])
    expect(ids(batches)).toEqual(Array.from({ length: 25 }, (_, i) => `req-${i}`))
    expect(batcher.stats).toMatchObject({ queued: 0, written: 25, batches: 3, dropped: 0 })
  })

  it('writes a partial batch by itself after the flush interval', async () => {
    const { batcher, batches } = harness()
    batcher.record(event(1))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(ids(batches)).toEqual(['req-1'])
  })

  it('keeps failed batches queued and retries them with backoff until the database answers, writing each once', async () => {
    let down = true
    const connectionRefused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const { batcher, batches, warnings } = harness({ fail: () => down ? connectionRefused : undefined })
    for (let i = 0; i < 15; i++) batcher.record(event(i))
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(batches).toHaveLength(0)
    expect(batcher.stats.failedFlushes).toBeGreaterThan(1)
    expect(batcher.stats.queued).toBe(15)
    expect(warnings[0]).toMatchObject({ code: 'ECONNREFUSED', queued: 15 })
    down = false
    expect(await batcher.flush(5000)).toBe(true)
    expect(ids(batches).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `req-${i}`).sort())
    expect(batcher.stats).toMatchObject({ written: 15, dropped: 0, queued: 0 })
  })

  it('drops what does not fit in the buffer, counting it and saying so in a warning', async () => {
    const { batcher, warnings } = harness({ maxBuffered: 5, fail: () => new Error('down') })
    for (let i = 0; i < 12; i++) batcher.record(event(i))
    expect(batcher.stats).toMatchObject({ queued: 5, dropped: 7 })
    await batcher.close(50)
    const dropWarnings = warnings.filter((w) => w['dropped'] !== undefined)
    // Every dropped event is in some warning's count: 7 when the buffer overflowed, 5 at shutdown.
    expect(dropWarnings.reduce((n, w) => n + (w['dropped'] as number), 0)).toBe(12)
    expect(batcher.stats.dropped).toBe(12)
  })

  it('writes rows one by one when the database refuses a batch for its content, dropping only the bad row', async () => {
    const invalid = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })
    const { batcher, batches, errors } = harness({ fail: (rows) => rows.some((r) => r.requestId === 'req-3') ? invalid : undefined })
    for (let i = 0; i < 6; i++) batcher.record(event(i))
    expect(await batcher.flush(5000)).toBe(true)
    expect(ids(batches).sort()).toEqual(['req-0', 'req-1', 'req-2', 'req-4', 'req-5'])
    expect(batcher.stats).toMatchObject({ written: 5, dropped: 1 })
    expect(errors).toEqual([expect.objectContaining({ requestId: 'req-3', code: '22021' })])
  })

  it('retries a write that hangs past the write timeout', async () => {
    let calls = 0
    const batches: NewUsageEvent[][] = []
    const { batcher } = harness({
      writeTimeoutMs: 50,
      write: async (rows) => {
        if (++calls === 1) return await new Promise<void>(() => {})
        batches.push(rows)
      }
    })
    batcher.record(event(1))
    expect(await batcher.flush(5000)).toBe(true)
    expect(ids(batches)).toEqual(['req-1'])
    expect(batcher.stats.failedFlushes).toBe(1)
  })

  it('gives up at the close deadline, counting what was left as dropped', async () => {
    const { batcher } = harness({ fail: () => new Error('down') })
    for (let i = 0; i < 3; i++) batcher.record(event(i))
    await batcher.close(30)
    expect(batcher.stats).toMatchObject({ queued: 0, dropped: 3, written: 0 })
    batcher.record(event(9))
    expect(batcher.stats.dropped).toBe(4)
  })

  it('finds an event while it waits or is being written, and not once it is written', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    const written: NewUsageEvent[][] = []
    const batcher = new UsageBatcher({
      write: async (rows) => { await gate; written.push(rows) },
      maxRows: 10,
      flushIntervalMs: 1,
      maxBuffered: 1000,
      writeTimeoutMs: 5000,
      log: { info: () => {}, warn: () => {}, error: () => {} }
    })
    batcher.record(event(1))
    batcher.record(event(2))
    expect(batcher.find('req-2')?.requestId).toBe('req-2')
    const flushed = batcher.flush(5000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    // Being written: still found (it leaves the queue only once committed).
    expect(batcher.find('req-1')?.requestId).toBe('req-1')
    release()
    expect(await flushed).toBe(true)
    expect(written.flat()).toHaveLength(2)
    expect(batcher.find('req-1')).toBeUndefined()
    expect(batcher.find('req-404')).toBeUndefined()
  })
})
