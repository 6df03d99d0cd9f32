import { Writable } from 'node:stream'
import { SwitchyardError } from '@switchyard/errors'
import { startFakeSentry } from '@switchyard/testing'
import Fastify, { type FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { errorHandlerPlugin, errorTrackingPlugin, type ErrorTrackingOptions, type TrackedEvent } from '../../src/index.js'

interface LogLine { level: number, msg: string, tracked?: string, count?: number, suppressed?: { lines: number, events: number }, [key: string]: unknown }

/** A Fastify app whose pino output is kept as parsed lines. */
async function appWithTracking (opts: ErrorTrackingOptions = {}): Promise<{ app: FastifyInstance, lines: LogLine[] }> {
  const lines: LogLine[] = []
  const stream = new Writable({
    write (chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as LogLine)
      done()
    }
  })
  const app = Fastify({ logger: { level: 'info', stream } })
  await app.register(errorHandlerPlugin)
  await app.register(errorTrackingPlugin, opts)
  onTestFinished(async () => { await app.close() })
  return { app, lines }
}

const outage = (provider: string, status: number): TrackedEvent => ({
  severity: status >= 500 ? 'error' : 'warning',
  message: `provider "${provider}" failed with HTTP ${status}`,
  fingerprint: ['upstream', provider, String(status)],
  tags: { provider, providerStatus: status, attempt: 1 }
})

const ERROR = 50
const WARN = 40
const trackedLines = (lines: LogLine[]) => lines.filter((l) => l.tracked !== undefined)
const accounted = (lines: LogLine[]) => trackedLines(lines).reduce((sum, l) => sum + (l.tracked === 'suppressed' ? 0 : l.count ?? 0) + (l.suppressed?.events ?? 0), 0)

describe('errorTrackingPlugin', () => {
  it('1,000 reported failures become a bounded number of grouped log lines whose counts add up', async () => {
    const { app, lines } = await appWithTracking({ maxLinesPerWindow: 20 })
    for (let i = 0; i < 1000; i++) app.errorTracker.report(outage(`p${i % 40}`, i % 5 === 0 ? 429 : 500))
    await app.close()
    const tracked = trackedLines(lines)
    // 20 lines under the cap; closing drains the rest through the same cap, plus one tally line.
    expect(tracked.length).toBeLessThanOrEqual(21)
    expect(lines.filter((l) => l.level >= WARN).length).toBe(tracked.length)
    expect(accounted(lines)).toBe(1000)
    expect(tracked.find((l) => l.tracked === 'first')).toMatchObject({ level: WARN, msg: 'provider "p0" failed with HTTP 429', tags: { provider: 'p0' } })
    expect(tracked.at(-1)).toMatchObject({ level: ERROR, tracked: 'suppressed', msg: expect.stringMatching(/^\d+ error-tracking lines \(\d+ events\) withheld by the rate cap$/) })
  })

  it('one fingerprint failing 1,000 times: its first line, then one line with the count', async () => {
    const { app, lines } = await appWithTracking()
    for (let i = 0; i < 1000; i++) app.errorTracker.report(outage('openai', 503))
    await app.close()
    expect(trackedLines(lines).map((l) => [l.level, l.tracked, l.count, l.msg])).toEqual([
      [ERROR, 'first', 1, 'provider "openai" failed with HTTP 503'],
      [ERROR, 'repeats', 999, 'provider "openai" failed with HTTP 503 (999 more within 60 s)']
    ])
  })

  it('writes a group\'s repeats once its window ends, without waiting for another failure', async () => {
    const { app, lines } = await appWithTracking({ windowMs: 200, tickMs: 20 })
    app.errorTracker.report(outage('a', 500))
    app.errorTracker.report(outage('a', 500))
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(trackedLines(lines).map((l) => [l.tracked, l.count])).toEqual([['first', 1], ['repeats', 1]])
  })

  it('drops a tracked failure\'s per-request error line to info: the grouped line is the alert', async () => {
    const { app, lines } = await appWithTracking()
    app.post('/fail', async () => {
      const err = new SwitchyardError('PROVIDER_UNAVAILABLE', { details: { provider: 'a', providerStatus: 500 } })
      app.errorTracker.report(outage('a', 500), err)
      throw err
    })
    app.post('/untracked', async () => { throw new SwitchyardError('PROVIDER_UNAVAILABLE', { details: { provider: 'a' } }) })
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'POST', url: '/fail' })).statusCode).toBe(502)
    expect((await app.inject({ method: 'POST', url: '/untracked' })).statusCode).toBe(502)
    const errorLines = lines.filter((l) => l.level >= ERROR)
    expect(errorLines.map((l) => l.tracked ?? l['code'])).toEqual(['first', 'PROVIDER_UNAVAILABLE'])
  })

  it('sends the grouped lines to a Sentry DSN, scrubbed of anything that looks like a key, and flushes them on close', async () => {
    const sentry = await startFakeSentry('42')
    onTestFinished(sentry.close)
    const { app } = await appWithTracking({ sentryDsn: sentry.dsn, release: '1.2.3', environment: 'test' })
    const secret = 'sk-live-abcdef0123456789SECRET'
    for (let i = 0; i < 300; i++) {
      app.errorTracker.report({
        ...outage('openrouter', 401),
        // A careless caller: the scrubber must keep these out of Sentry.
        message: `provider "openrouter" rejected Bearer ${secret}`,
        tags: { provider: 'openrouter', apiKey: secret, note: `key=${secret}` }
      })
    }
    app.errorTracker.report(outage('openai', 500))
    await app.close()
    await sentry.waitForEvents(3, 5000)
    const events = sentry.events()
    expect(events).toHaveLength(3)
    expect(sentry.envelopes.every((e) => e.project === '42')).toBe(true)
    expect(events.map((e) => [e['level'], (e['extra'] as { count: number }).count, (e['tags'] as { tracked: string }).tracked])).toEqual([
      ['warning', 1, 'first'], ['error', 1, 'first'], ['warning', 299, 'repeats']
    ])
    expect(events[0]).toMatchObject({ fingerprint: ['upstream', 'openrouter', '401'], release: '1.2.3', environment: 'test', tags: { provider: 'openrouter', apiKey: '[redacted]' } })
    expect(events[0]?.['request']).toBeUndefined()
    for (const envelope of sentry.envelopes) expect(envelope.raw).not.toContain(secret)
  })

  it('a Sentry that is down costs nothing: reporting never throws and closing still ends', async () => {
    const sentry = await startFakeSentry()
    const dsn = sentry.dsn
    await sentry.close()
    const { app, lines } = await appWithTracking({ sentryDsn: dsn, sentryCloseTimeoutMs: 500 })
    for (let i = 0; i < 10; i++) app.errorTracker.report(outage('a', 500))
    await app.close()
    expect(trackedLines(lines).map((l) => l.count)).toEqual([1, 9])
  })
})
