import { faults } from '@switchyard/mock-provider'
import { startFakeSentry } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, closedPortUrl, INTERNAL_TOKEN, internalHeaders, PROVIDER_KEY } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

interface LogLine { level: number, msg: string, tracked?: string, count?: number, fingerprint?: string, tags?: Record<string, unknown>, suppressed?: { events: number } }

const WARN = 40

/** Lines at warn or above, apart from cooldown transitions (one per deployment and cooldown period). */
const loudLines = (lines: LogLine[]) => lines.filter((l) => l.level >= WARN && l.msg !== 'deployment cooling down')

function captureLogs () {
  const lines: LogLine[] = []
  return { lines, logStream: { write: (line: string) => { lines.push(JSON.parse(line) as LogLine) } } }
}

const ask = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }

/** `n` requests, 20 at a time, all expected to fail with the given status. */
async function fail (app: Awaited<ReturnType<typeof buildTestApp>>, n: number, status: number, payload: object = ask): Promise<void> {
  for (let sent = 0; sent < n; sent += 20) {
    const batch = await Promise.all(Array.from({ length: Math.min(20, n - sent) }, () =>
      app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload })))
    for (const res of batch) expect(res.statusCode).toBe(status)
  }
}

describe('upstream error tracking', () => {
  it('200 requests against a provider answering 500 (two attempts each): two warn-or-worse lines, counts adding up to 400', async () => {
    const mock = await startMock()
    mock.setDefaultFault(faults.serverError(500))
    const { lines, logStream } = captureLogs()
    const app = await buildTestApp(mock.baseUrl, { LOG_LEVEL: 'info' }, { logStream })
    await fail(app, 200, 502)
    await app.close()

    const loud = loudLines(lines)
    expect(loud.map((l) => [l.level, l.tracked, l.count, l.fingerprint])).toEqual([
      [50, 'first', 1, 'upstream | mock | 500 | PROVIDER_UNAVAILABLE'],
      [50, 'repeats', 399, 'upstream | mock | 500 | PROVIDER_UNAVAILABLE']
    ])
    expect(loud[0]).toMatchObject({ msg: 'provider "mock" failed: PROVIDER_UNAVAILABLE (HTTP 500)', tags: { provider: 'mock', providerStatus: 500, deployment: 'mock-gpt', attempt: 1 } })
    // Each request still has its own line, at info, for whoever follows one request id.
    expect(lines.filter((l) => l.level === 30 && l.msg === 'The provider "mock" is unavailable.').length).toBe(200)
    for (const line of lines) expect(JSON.stringify(line)).not.toContain(PROVIDER_KEY)
  }, 30_000)

  it('429s and 401s are tracked as warnings, each under its own fingerprint', async () => {
    const mock = await startMock()
    const { lines, logStream } = captureLogs()
    // One attempt per request: what is tracked is the subject, not the retry policy.
    const app = await buildTestApp(mock.baseUrl, { LOG_LEVEL: 'info', ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1' }, { logStream })
    mock.enqueue(faults.rateLimited({ retryAfterSeconds: 1 }), faults.rateLimited({ retryAfterSeconds: 1 }), faults.userNotFound())
    await fail(app, 2, 429)
    await fail(app, 1, 502)
    await app.close()
    expect(loudLines(lines).map((l) => [l.level, l.tracked, l.count, l.fingerprint])).toEqual([
      [WARN, 'first', 1, 'upstream | mock | 429 | PROVIDER_RATE_LIMITED'],
      [WARN, 'first', 1, 'upstream | mock | 401 | PROVIDER_AUTH_FAILED'],
      [WARN, 'repeats', 1, 'upstream | mock | 429 | PROVIDER_RATE_LIMITED']
    ])
  })

  it('a provider that is not there is an error with no status', async () => {
    const { lines, logStream } = captureLogs()
    const app = await buildTestApp(await closedPortUrl(), { LOG_LEVEL: 'info', ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1' }, { logStream })
    await fail(app, 3, 502)
    await app.close()
    expect(loudLines(lines).map((l) => [l.level, l.count, l.fingerprint])).toEqual([
      [50, 1, 'upstream | mock | no-answer | PROVIDER_UNAVAILABLE'],
      [50, 2, 'upstream | mock | no-answer | PROVIDER_UNAVAILABLE']
    ])
  })

  it('with SENTRY_DSN, the grouped events reach a (fake, local) Sentry, and no key is in them', async () => {
    const sentry = await startFakeSentry('7')
    onTestFinished(sentry.close)
    const mock = await startMock()
    mock.setDefaultFault(faults.invalidApiKey())
    const app = await buildTestApp(mock.baseUrl, { SENTRY_DSN: sentry.dsn }, {})
    await fail(app, 100, 502, { ...ask, messages: [{ role: 'user', content: `my key is ${PROVIDER_KEY}` }] })
    await app.close()
    await sentry.waitForEvents(2, 5000)
    const events = sentry.events()
    expect(events.map((e) => [e['level'], (e['extra'] as { count: number }).count, e['fingerprint']])).toEqual([
      ['warning', 1, ['upstream', 'mock', '401', 'PROVIDER_AUTH_FAILED']],
      ['warning', 99, ['upstream', 'mock', '401', 'PROVIDER_AUTH_FAILED']]
    ])
    expect(events[0]).toMatchObject({ release: 'test', tags: { provider: 'mock', providerCode: 'invalid_api_key', deployment: 'mock-gpt', attempt: '1' } })
    for (const envelope of sentry.envelopes) {
      expect(envelope.raw).not.toContain(PROVIDER_KEY)
      expect(envelope.raw).not.toContain(INTERNAL_TOKEN)
      expect(envelope.raw).not.toContain('my key is')
    }
  }, 30_000)
})
