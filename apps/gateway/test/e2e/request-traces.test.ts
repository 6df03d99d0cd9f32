import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run.js'
import { ADMIN_TOKEN, startStack, type Stack } from '../helpers/stack.js'

// GET /v1/requests/{id} over the whole path (mock providers → router → gateway → real Postgres):
// the router names every attempt in its internal trace header, the gateway stores it with the
// usage row and shows it to the key that made the request (or the admin token), and to nobody else.

interface Attempt { deployment: string, provider: string | null, outcome: string | null, upstream_status: number | null, code: string | null, duration_ms: number | null }
interface Trace {
  object: string
  id: string
  status: number
  code: string | null
  model: string
  endpoint: string
  streamed: boolean
  created_at: string
  duration_ms: number
  ttfb_ms: number | null
  correlation_id: string | null
  usage: { prompt_tokens: number, completion_tokens: number, total_tokens: number, estimated: boolean }
  attempts: Attempt[] | null
}
interface ErrorBody { error: { code: string, message: string, request_id: string } }

describe('request traces: GET /v1/requests/{id}', () => {
  let stack: Stack
  let key: string
  let otherKey: string

  const chat = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> =>
    await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body)
    })
  const trace = async (id: string, credential: string = key): Promise<Response> =>
    await fetch(`${stack.gatewayUrl}/v1/requests/${id}`, { headers: { authorization: `Bearer ${credential}` } })

  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres', revokedProvider: true })
    key = (await stack.createKey('tracer')).key
    otherKey = (await stack.createKey('someone else')).key
  })
  afterAll(async () => { await stack?.close() })

  it('shows both attempts of a request that fell back from a deployment answering 401, with the 401 classified', async () => {
    const res = await chat({ model: 'mock-gpt-fallback', messages: [{ role: 'user', content: 'trace my fallback' }] }, { 'x-request-id': 'my-own-id-42' })
    expect(res.status).toBe(200)
    await res.text()
    // The trace is internal: the client reads it here, not in a header of every answer.
    expect(res.headers.get('x-switchyard-trace')).toBeNull()
    expect(res.headers.get('x-switchyard-attempts')).toBe('2')
    const id = res.headers.get('x-request-id')!

    // Asked at once: the usage row may still be queued in the gateway's batch; it is found there.
    const soon = await trace(id)
    expect(soon.status).toBe(200)
    await stack.gateway.usage.flush()
    const stored = await trace(id)
    expect(stored.status).toBe(200)
    const body = await stored.json() as Trace
    for (const view of [await soon.json() as Trace, body]) {
      expect(view).toMatchObject({
        object: 'request',
        id,
        status: 200,
        code: null,
        model: 'mock-gpt-fallback',
        endpoint: 'chat.completions',
        streamed: false,
        correlation_id: 'my-own-id-42'
      })
      expect(view.attempts).toHaveLength(2)
      expect(view.attempts![0]).toMatchObject({ deployment: 'mock-revoked/mock-gpt', provider: 'mock-revoked', outcome: 'failed', upstream_status: 401, code: 'PROVIDER_AUTH_FAILED' })
      expect(view.attempts![1]).toMatchObject({ deployment: 'mock/mock-gpt', provider: 'mock', outcome: 'served', upstream_status: 200, code: null })
    }
    expect(body.usage.total_tokens).toBeGreaterThan(0)
    expect(body.usage.estimated).toBe(false)
    expect(body.duration_ms).toBeGreaterThanOrEqual(0)
    expect(body.ttfb_ms).not.toBeNull()
    expect(Number.isNaN(Date.parse(body.created_at))).toBe(false)
    for (const a of body.attempts!) expect(a.duration_ms).toBeGreaterThanOrEqual(0)

    // Another key cannot tell this id from an unknown one; the admin token reads it.
    const foreign = await trace(id, otherKey)
    expect(foreign.status).toBe(404)
    expect((await foreign.json() as ErrorBody).error.code).toBe('REQUEST_NOT_FOUND')
    const admin = await trace(id, ADMIN_TOKEN)
    expect(admin.status).toBe(200)
    expect((await admin.json() as Trace).attempts).toHaveLength(2)
  })

  it('the operator CLI shows a trace: `switchyard request <id>`', async () => {
    const res = await chat({ model: 'mock-gpt-fallback', messages: [{ role: 'user', content: 'trace for the cli' }] })
    await res.text()
    const id = res.headers.get('x-request-id')!
    await stack.gateway.usage.flush()
    const run = async (args: string[]): Promise<{ code: number, out: string, err: string }> => {
      let out = ''
      let err = ''
      const code = await runCli(args, { DATABASE_URL: stack.databaseUrl! }, { out: (t) => { out += t + '\n' }, err: (t) => { err += t + '\n' } })
      return { code, out, err }
    }
    const shown = await run(['request', id])
    expect(shown.code).toBe(0)
    expect(shown.out).toContain(id)
    // The first test's 401 may still hold the revoked deployment in cooldown: skipped, not called.
    expect(shown.out).toMatch(/mock-revoked\/mock-gpt\s+mock-revoked\s+(failed\s+401\s+PROVIDER_AUTH_FAILED|skipped_cooling_down)/)
    expect(shown.out).toMatch(/mock\/mock-gpt\s+mock\s+served\s+200/)
    const json = await run(['request', '--json', id])
    expect((JSON.parse(json.out) as Trace).attempts).toHaveLength(2)
    const unknown = await run(['request', 'req_nope'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('no request "req_nope"')
    const hostile = await run(['request', "x'; drop table usage_events; --"])
    expect(hostile.code).toBe(1)
    expect(hostile.err).toContain('not a request id')
  })

  it('answers an unknown id with 404 REQUEST_NOT_FOUND, for a key and for the admin', async () => {
    for (const credential of [key, ADMIN_TOKEN]) {
      const res = await trace('req_00000000000000000000000000000000', credential)
      expect(res.status).toBe(404)
      expect((await res.json() as ErrorBody).error.code).toBe('REQUEST_NOT_FOUND')
    }
  })

  it('refuses a lookup without a valid credential', async () => {
    const res = await fetch(`${stack.gatewayUrl}/v1/requests/req_00000000000000000000000000000000`)
    expect(res.status).toBe(401)
    const bad = await trace('req_00000000000000000000000000000000', 'not-the-admin-token-nor-a-key')
    expect(bad.status).toBe(401)
  })

  it('records the trace and timings of a streamed request', async () => {
    const res = await chat({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'stream a trace' }] })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchyard-trace')).toBeNull()
    expect(await res.text()).toContain('[DONE]')
    const id = res.headers.get('x-request-id')!
    await stack.gateway.usage.flush()
    const body = await (await trace(id)).json() as Trace
    expect(body).toMatchObject({ id, status: 200, streamed: true, model: 'mock-gpt' })
    expect(body.ttfb_ms).not.toBeNull()
    expect(body.attempts).toEqual([expect.objectContaining({ deployment: 'mock/mock-gpt', provider: 'mock', outcome: 'served', upstream_status: 200, code: null })])
  })

  it('traces a request that failed, and the error message says where to read the trace', async () => {
    stack.mock.enqueue({ kind: 'status', status: 400, body: { error: { message: 'bad things', type: 'invalid_request_error' } } })
    const res = await chat({ model: 'mock-gpt', messages: [{ role: 'user', content: 'fail me' }] })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.headers.get('x-switchyard-trace')).toBeNull()
    const err = (await res.json() as ErrorBody).error
    const id = err.request_id
    expect(err.message).toContain(`(request ${id}: GET /v1/requests/${id} shows every attempt)`)

    await stack.gateway.usage.flush()
    const body = await (await trace(id)).json() as Trace
    expect(body.status).toBe(res.status)
    expect(body.code).toBe(err.code)
    expect(body.attempts).toHaveLength(1)
    expect(body.attempts![0]).toMatchObject({ deployment: 'mock/mock-gpt', outcome: 'failed', upstream_status: 400, code: err.code })
  })

  it('does not point at a trace for errors of requests that never reached the router', async () => {
    const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-sy-not-a-real-key-000000000000' } })
    expect(res.status).toBe(401)
    expect((await res.json() as ErrorBody).error.message).not.toContain('/v1/requests/')
  })

  it('answers hostile ids with a clean 4xx and never a 5xx', async () => {
    const hostile = [
      'x'.repeat(5000),
      'req_%00abc',
      'req_%0D%0AX-Injected:%201',
      encodeURIComponent("req_1' OR '1'='1"),
      encodeURIComponent('req_1; DROP TABLE usage_events; --'),
      encodeURIComponent('../../admin/users'),
      '%E2%80%AE%F0%9F%92%A3',
      '%ff%fe'
    ]
    for (const id of hostile) {
      const res = await trace(id)
      expect(res.status, id.slice(0, 40)).toBeGreaterThanOrEqual(400)
      expect(res.status, id.slice(0, 40)).toBeLessThan(500)
      const text = await res.text()
      expect(typeof (JSON.parse(text) as ErrorBody).error.code, `${res.status} ${text.slice(0, 300)}`).toBe('string')
    }
    // Well-formed but SQL-looking: just an unknown id.
    const sqlish = await trace('req_--')
    expect(sqlish.status).toBe(404)
    // The table survived all of it.
    await stack.gateway.usage.flush()
    const still = await fetch(`${stack.gatewayUrl}/v1/users/me/usage`, { headers: { authorization: `Bearer ${key}` } })
    expect(still.status).toBe(200)
  })
})
