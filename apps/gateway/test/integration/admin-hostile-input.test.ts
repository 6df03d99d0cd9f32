import { infraFor } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminHeaders as admin, startPostgresApp, type PostgresApp } from '../helpers/postgres-app.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

const infra = await infraFor('admin API: hostile input', ['postgres'])

const big = 'x'.repeat(10 * 1024)
const sqlish = "x'); DROP TABLE users; --"
const future = () => new Date(Date.now() + 3_600_000).toISOString()

describe.skipIf(!infra.ok)('admin API: hostile input (Postgres)', () => {
  let pg: PostgresApp
  let userId: string
  let keyId: string
  beforeAll(async () => {
    pg = await startPostgresApp('admin_hostile')
    userId = (await call('POST', '/v1/admin/users', { name: 'target' })).json().id
    keyId = (await call('POST', `/v1/admin/users/${userId}/keys`, { name: 'k' })).json().id
  })
  afterAll(async () => { await pg?.close() })

  async function call (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = admin) {
    return await pg.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) })
  }

  // [what, method, url, body, expected param]
  const cases: Array<[string, 'GET' | 'POST' | 'PATCH' | 'DELETE', () => string, unknown, string]> = [
    ['control character in a user name', 'POST', () => '/v1/admin/users', { name: 'bad\u0000name' }, 'name'],
    ['newline in a user name', 'POST', () => '/v1/admin/users', { name: 'two\nlines' }, 'name'],
    ['bidi override in a user name', 'POST', () => '/v1/admin/users', { name: 'admin\u202Egpj.exe' }, 'name'],
    ['blank user name', 'POST', () => '/v1/admin/users', { name: '   ' }, 'name'],
    ['10 KB user name', 'POST', () => '/v1/admin/users', { name: big }, 'name'],
    ['10 KB email', 'POST', () => '/v1/admin/users', { name: 'a', email: `${big}@example.com` }, 'email'],
    ['SQL in an email', 'POST', () => '/v1/admin/users', { name: 'a', email: sqlish }, 'email'],
    ['SQL in a plan name', 'POST', () => '/v1/admin/plans', { name: sqlish }, 'name'],
    ['UUID-shaped plan name', 'POST', () => '/v1/admin/plans', { name: '00000000-0000-4000-8000-000000000009' }, 'name'],
    ['10 KB plan reference', 'POST', () => '/v1/admin/users', { name: 'a', plan: big }, 'plan'],
    ['negative limit', 'POST', () => '/v1/admin/plans', { name: 'neg', limits: { monthly_token_quota: -1 } }, 'limits.monthly_token_quota'],
    ['huge limit', 'POST', () => '/v1/admin/plans', { name: 'huge', limits: { monthly_token_quota: 1e16 } }, 'limits.monthly_token_quota'],
    ['per-minute limit over the column', 'POST', () => '/v1/admin/plans', { name: 'huge2', limits: { requests_per_minute: 3e9 } }, 'limits.requests_per_minute'],
    ['fractional limit', 'PATCH', () => `/v1/admin/users/${userId}`, { limits: { tokens_per_minute: 1.5 } }, 'limits.tokens_per_minute'],
    ['limit as a string', 'POST', () => '/v1/admin/users', { name: 'a', limits: { requests_per_minute: '5' } }, 'limits.requests_per_minute'],
    ['"inherit" on create', 'POST', () => '/v1/admin/users', { name: 'a', limits: { requests_per_minute: 'inherit' } }, 'limits.requests_per_minute'],
    ['"inherit" for a plan', 'PATCH', () => '/v1/admin/plans/free', { limits: { requests_per_minute: 'inherit' } }, 'limits.requests_per_minute'],
    ['unknown limit', 'POST', () => '/v1/admin/users', { name: 'a', limits: { requests_per_hour: 5 } }, 'limits.requests_per_hour'],
    ['unknown field', 'POST', () => '/v1/admin/users', { name: 'a', is_admin: true }, 'is_admin'],
    ['unknown field on a key', 'POST', () => `/v1/admin/users/${userId}/keys`, { name: 'k', key_hash: 'aa' }, 'key_hash'],
    ['user_id on a user\'s key', 'POST', () => `/v1/admin/users/${userId}/keys`, { name: 'k', user_id: '00000000-0000-4000-8000-000000000002' }, 'user_id'],
    ['empty PATCH', 'PATCH', () => `/v1/admin/users/${userId}`, {}, ''],
    ['expiry in the past', 'POST', () => `/v1/admin/users/${userId}/keys`, { name: 'k', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
    ['expiry in the past (PATCH)', 'PATCH', () => `/v1/admin/users/${userId}/keys/${keyId}`, { expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
    ['expiry that is not a date', 'POST', () => '/v1/api-keys', { name: 'k', expires_at: 'tomorrow' }, 'expires_at'],
    ['101 allowed models', 'POST', () => `/v1/admin/users/${userId}/keys`, { name: 'k', expires_at: future(), allowed_models: Array.from({ length: 101 }, (_, i) => `m${i}`) }, 'allowed_models'],
    ['empty allowed models', 'POST', () => `/v1/admin/users/${userId}/keys`, { name: 'k', allowed_models: [] }, 'allowed_models'],
    ['duplicate allowed models', 'PATCH', () => `/v1/admin/users/${userId}/keys/${keyId}`, { allowed_models: ['a', 'a'] }, 'allowed_models'],
    ['model name with a space', 'PATCH', () => `/v1/admin/users/${userId}/keys/${keyId}`, { allowed_models: ['gpt 4'] }, 'allowed_models.0'],
    ['bad user id', 'GET', () => '/v1/admin/users/not-a-uuid', undefined, 'id'],
    ['SQL as a user id', 'DELETE', () => `/v1/admin/users/${encodeURIComponent(sqlish)}`, undefined, 'id'],
    ['bad key id', 'DELETE', () => `/v1/admin/users/${userId}/keys/123`, undefined, 'keyId'],
    ['SQL as a plan reference', 'GET', () => `/v1/admin/plans/${encodeURIComponent(sqlish)}`, undefined, 'plan'],
    ['bad page size', 'GET', () => '/v1/admin/users?limit=100000', undefined, 'limit'],
    ['unknown query parameter', 'GET', () => '/v1/admin/users?where=1', undefined, 'where']
  ]

  it.each(cases)('%s → 400 INVALID_REQUEST naming the field', async (_what, method, url, body, param) => {
    const res = await call(method, url(), body)
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().error.code).toBe('INVALID_REQUEST')
    expect(res.json().error.param ?? '').toBe(param)
    expect(res.body.length).toBeLessThan(2048) // nothing hostile is echoed in bulk
  })

  it('stores unicode and SQL-looking display names literally', async () => {
    for (const name of ['Zoë 山田 🚀', sqlish, "O'Brien \"quoted\" \\ back"]) {
      const res = await call('POST', '/v1/admin/users', { name })
      expect(res.statusCode).toBe(201)
      expect((await call('GET', `/v1/admin/users/${res.json().id as string}`)).json().name).toBe(name)
    }
    expect((await call('GET', '/v1/admin/users')).statusCode).toBe(200)
  })

  it('answers non-JSON bodies with 415 and broken JSON with INVALID_JSON', async () => {
    const text = await pg.app.inject({ method: 'POST', url: '/v1/admin/users', headers: { ...admin, 'content-type': 'text/plain' }, payload: 'name=x' })
    expect(text.statusCode).toBe(415)
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const broken = await pg.app.inject({ method: 'POST', url: '/v1/admin/users', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"name":' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().error.code).toBe('INVALID_JSON')
  })

  it('refuses client API keys and wrong admin tokens on every admin route, without echoing them', async () => {
    const { key } = (await call('POST', `/v1/admin/users/${userId}/keys`, { name: 'client' })).json()
    const wrong = 'wrong-admin-token-' + 'z'.repeat(20)
    const urls = ['/v1/admin/plans', '/v1/admin/users', `/v1/admin/users/${userId}/keys`, '/v1/api-keys']
    for (const url of urls) {
      const attempts: Array<Record<string, string>> = [{ authorization: `Bearer ${key as string}` }, { 'x-api-key': key as string }, { authorization: `Bearer ${wrong}` }, { authorization: `Basic ${ADMIN_TOKEN}` }, {}]
      for (const headers of attempts) {
        const res = await call('GET', url, undefined, headers)
        expect(res.statusCode).toBe(401)
        expect(res.json().error.code).toBe('INVALID_ADMIN_TOKEN')
        expect(res.body).not.toContain(key)
        expect(res.body).not.toContain(wrong)
        expect(res.body).not.toContain(ADMIN_TOKEN)
      }
    }
    // and a client key cannot create anything
    const res = await call('POST', '/v1/admin/users', { name: 'intruder' }, { authorization: `Bearer ${key as string}` })
    expect(res.statusCode).toBe(401)
  })
})
