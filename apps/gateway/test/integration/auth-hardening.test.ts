import { Writable } from 'node:stream'
import { infraFor } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLimitedKey } from '../helpers/limited-key.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN, startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('gateway auth hardening on Postgres + Redis', ['postgres', 'redis'])

const LIMIT = 5

describe.skipIf(!infra.ok)('hostile clients: bad keys, failed-auth floods, bad bodies', () => {
  let stack: Stack
  const logs: string[] = []
  const secrets: string[] = [ADMIN_TOKEN, INTERNAL_TOKEN]
  beforeAll(async () => {
    const logStream = new Writable({ write (chunk: Buffer, _enc, done) { logs.push(...chunk.toString('utf8').split('\n').filter((l) => l !== '')); done() } })
    // The test client talks to the gateway from 127.0.0.1, which stands in for a trusted load balancer.
    stack = await startStack({ backend: 'postgres', logStream, gatewayEnv: { LOG_LEVEL: 'debug', AUTH_FAILURE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: '127.0.0.1' } })
  })
  afterAll(async () => { await stack?.close() })

  const ask = async (headers: Record<string, string>, remoteAddress?: string, payload: unknown = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }) => {
    const res = await stack.gateway.inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, payload: payload as object, ...(remoteAddress === undefined ? {} : { remoteAddress }) })
    return { status: res.statusCode, code: res.json<{ error?: { code: string, details?: Record<string, unknown> } }>().error?.code, headers: res.headers, body: res.json() }
  }

  it('refuses malformed, unicode, SQL-laden and 10 KB keys with 401 INVALID_API_KEY', async () => {
    const hostile = ['sk-sy-short', 'sk-sy-ключ-' + 'я'.repeat(40), "sk-sy-' OR '1'='1'; DROP TABLE api_keys; --", 'sk-sy-' + 'A'.repeat(10 * 1024), 'Bearer', '\u0000sk-sy-' + 'a'.repeat(43)]
    secrets.push(...hostile)
    for (const [i, key] of hostile.entries()) {
      const res = await ask({ authorization: `Bearer ${key}`, 'x-forwarded-for': `198.51.100.${i + 1}` })
      expect([res.status, res.code]).toEqual([401, 'INVALID_API_KEY'])
    }
    const spoof = await ask({ 'x-api-key': "'; select pg_sleep(10); --", 'x-forwarded-for': '198.51.100.99' })
    expect([spoof.status, spoof.code]).toEqual([401, 'INVALID_API_KEY'])
    expect((await ask({ authorization: 'Basic abc' })).code).toBe('MISSING_API_KEY')
  })

  it('after too many failures from one client IP, answers 429 before looking the key up; other IPs unaffected', async () => {
    const known = await createLimitedKey(stack.db)
    const fresh = await createLimitedKey(stack.db)
    secrets.push(known.key, fresh.key)
    const attacker = { 'x-forwarded-for': '203.0.113.7' }
    expect((await ask({ authorization: `Bearer ${known.key}`, ...attacker })).status).toBe(200) // cached now
    for (let i = 0; i < LIMIT; i++) {
      const random = 'sk-sy-' + Buffer.from(`random-${i}`.padEnd(32, '!')).toString('base64url').slice(0, 43)
      expect((await ask({ authorization: `Bearer ${random}`, ...attacker })).code).toBe('INVALID_API_KEY')
    }
    const blocked = await ask({ authorization: `Bearer sk-sy-${'b'.repeat(43)}`, ...attacker })
    expect([blocked.status, blocked.code]).toEqual([429, 'TOO_MANY_AUTH_FAILURES'])
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    // A valid key nobody has used yet would need the database: refused too, without asking it.
    expect((await ask({ authorization: `Bearer ${fresh.key}`, ...attacker })).code).toBe('TOO_MANY_AUTH_FAILURES')
    // A key already in the cache costs nothing: still served (clients behind the same NAT).
    expect((await ask({ authorization: `Bearer ${known.key}`, ...attacker })).status).toBe(200)
    expect((await ask({ authorization: `Bearer ${fresh.key}`, 'x-forwarded-for': '203.0.113.8' })).status).toBe(200)
  })

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    const direct = '192.0.2.50' // not in TRUST_PROXY: its X-Forwarded-For is ignored
    for (let i = 0; i < LIMIT; i++) {
      await ask({ authorization: `Bearer sk-sy-${'c'.repeat(43)}`, 'x-forwarded-for': `10.0.0.${i}` }, direct)
    }
    const res = await ask({ authorization: `Bearer sk-sy-${'c'.repeat(43)}`, 'x-forwarded-for': '10.0.0.200' }, direct)
    expect(res.code).toBe('TOO_MANY_AUTH_FAILURES')
  })

  it('answers wrong content types and bad max_tokens with specific 4xx codes', async () => {
    const k = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1000 } })
    secrets.push(k.key)
    const auth = { authorization: `Bearer ${k.key}`, 'x-forwarded-for': '198.51.100.200' }
    for (const contentType of ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) {
      const res = await stack.gateway.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...auth, 'content-type': contentType }, payload: 'model=mock-gpt' })
      expect([res.statusCode, res.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE'])
    }
    const broken = await stack.gateway.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"model": "mock-gpt", ' })
    expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'INVALID_JSON'])
    for (const bad of [{ max_tokens: -1 }, { max_tokens: 0 }, { max_completion_tokens: 1e12 }, { max_tokens: '5' }, { max_tokens: 2.5 }]) {
      const res = await ask(auth, undefined, { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], ...bad })
      expect([res.status, res.code]).toEqual([400, 'INVALID_REQUEST'])
      expect((res.body as { error: { param: string } }).error.param).toBe(Object.keys(bad)[0])
    }
    const tooBig = await ask(auth, undefined, { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16_000_000 })
    expect([tooBig.status, tooBig.code]).toEqual([429, 'REQUEST_EXCEEDS_TOKEN_LIMIT'])
  })

  it('never writes any part of a key or token to the log', async () => {
    expect(logs.length).toBeGreaterThan(10)
    const leaks = logs.filter((line) => line.includes('sk-sy-') || secrets.some((s) => s.length >= 12 && line.includes(s.slice(6, 18))))
    expect(leaks).toEqual([])
  })
})
