import { faults, type StartedMockProvider } from '@switchyard/mock-provider'
import { describe, expect, it } from 'vitest'
import { buildTableApp, internalHeaders, writeTableFile } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

// x-switchyard-trace: every attempt the loop made, on successes, streams and final failures,
// for the gateway to store (GET /v1/requests/{id}). Two mock providers "a" and "b" serve "m".

type Entry = [string, string, string, number | null, string | null, number]

const ask = (extra: Record<string, unknown> = {}) => ({ model: 'm', messages: [{ role: 'user', content: 'trace these attempts' }], ...extra })

async function twoProviders (): Promise<{ a: StartedMockProvider, b: StartedMockProvider, file: string }> {
  const a = await startMock()
  const b = await startMock()
  const file = writeTableFile({ a: a.baseUrl, b: b.baseUrl }, { m: [{ provider: 'a', model: 'mock-gpt' }, { provider: 'b', model: 'mock-gpt-mini' }] })
  return { a, b, file }
}

function traceOf (headers: Record<string, unknown>): Entry[] {
  const raw = headers['x-switchyard-trace']
  expect(typeof raw).toBe('string')
  // Printable ASCII only: any HTTP stack carries it unchanged.
  expect(raw).toMatch(/^[\x20-\x7e]+$/)
  return JSON.parse(raw as string) as Entry[]
}

describe('x-switchyard-trace', () => {
  it('names the failed attempt (status and classification) and the one that served', async () => {
    const { a, file } = await twoProviders()
    a.enqueue(faults.invalidApiKey())
    const app = await buildTableApp(file)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(200)
    const trace = traceOf(res.headers)
    expect(trace.map(([deployment, provider, outcome, status, code]) => [deployment, provider, outcome, status, code])).toEqual([
      ['a/mock-gpt', 'a', 'f', 401, 'PROVIDER_AUTH_FAILED'],
      ['b/mock-gpt-mini', 'b', 's', 200, null]
    ])
    for (const entry of trace) expect(Number.isInteger(entry[5]) && entry[5] >= 0).toBe(true)
  })

  it('is on a stream\'s headers, and then lists the deployment skipped while cooling down', async () => {
    const { a, file } = await twoProviders()
    a.enqueue(faults.invalidApiKey())
    const app = await buildTableApp(file)
    // The 401 puts "a" in cooldown at once: the next request does not call it.
    await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask({ stream: true }) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/event-stream')
    expect(traceOf(res.headers).map(([deployment, , outcome, status]) => [deployment, outcome, status])).toEqual([
      ['a/mock-gpt', 'c', null],
      ['b/mock-gpt-mini', 's', 200]
    ])
  })

  it('is on a final failure, with every attempt', async () => {
    const { a, b, file } = await twoProviders()
    a.enqueue(faults.invalidApiKey())
    b.enqueue(faults.userNotFound())
    const app = await buildTableApp(file)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(502)
    expect(traceOf(res.headers).map(([deployment, , outcome, status, code]) => [deployment, outcome, status, code])).toEqual([
      ['a/mock-gpt', 'f', 401, 'PROVIDER_AUTH_FAILED'],
      ['b/mock-gpt-mini', 'f', 401, 'PROVIDER_AUTH_FAILED']
    ])
  })
})
