import { createHash } from 'node:crypto'
import { DEFAULT_USER_ID, apiKeys } from '@switchyard/db/schema'
import { infraFor } from '@switchyard/testing'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../helpers/stack.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

const infra = await infraFor('admin API: keys of a user', ['postgres', 'redis'])
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

describe.skipIf(!infra.ok)('admin API: keys of a user (Postgres)', () => {
  let stack: Stack
  // These tests watch this replica's own eviction: the auth-revision poll (which drops the whole
  // cache when any replica changes a key) would race them, so it polls only once a minute here.
  beforeAll(async () => { stack = await startStack({ backend: 'postgres', gatewayEnv: { AUTH_REVISION_POLL_MS: '60000' } }) })
  afterAll(async () => { await stack?.close() })

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    await stack.gateway.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) })
  const models = async (key: string) =>
    await stack.gateway.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } })
  const newUser = async (name: string): Promise<string> => (await call('POST', '/v1/admin/users', { name })).json().id

  it('creates a key for a user (plaintext once), which then authenticates; lists and gets never show it', async () => {
    const userId = await newUser('alice')
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString()
    const res = await call('POST', `/v1/admin/users/${userId}/keys`, {
      name: 'ci', expires_at: expiresAt, allowed_models: ['mock-gpt'], limits: { requests_per_minute: 30, monthly_token_quota: null }
    })
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ object: 'api_key', name: 'ci', user_id: userId, revoked_at: null, expires_at: expiresAt })
    expect(created).toMatchObject({ allowed_models: ['mock-gpt'], limits: { requests_per_minute: 30, monthly_token_quota: null }, last_used_at: null })
    expect(created.key).toMatch(/^sk-sy-/)
    expect((await models(created.key as string)).statusCode).toBe(200)

    const list = await call('GET', `/v1/admin/users/${userId}/keys`)
    const one = await call('GET', `/v1/admin/users/${userId}/keys/${created.id as string}`)
    const legacy = await call('GET', '/v1/api-keys')
    for (const res of [list, one, legacy]) {
      expect(res.statusCode).toBe(200)
      expect(res.body).not.toContain(created.key)
      expect(res.body).not.toContain(sha256(created.key as string))
      expect(res.body).not.toMatch(/key_hash|keyHash/)
    }
    expect(list.json().data.map((k: { id: string }) => k.id)).toEqual([created.id])
    expect(one.json()).toEqual(list.json().data[0])
  })

  it('updates name, expiry, allowed models and limits; "inherit" and null clear them', async () => {
    const userId = await newUser('bob')
    const { id } = (await call('POST', `/v1/admin/users/${userId}/keys`, { name: 'old', allowed_models: ['a'], limits: { tokens_per_minute: 5 } })).json()
    const res = await call('PATCH', `/v1/admin/users/${userId}/keys/${id as string}`, {
      name: 'new', expires_at: null, allowed_models: null, limits: { tokens_per_minute: 'inherit', requests_per_minute: 0 }
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: 'new', expires_at: null, allowed_models: null, limits: { requests_per_minute: 0 } })
    expect(res.json().limits).not.toHaveProperty('tokens_per_minute')
  })

  it('a key revoked through the admin API is refused at once on this replica, and revoking twice keeps the first time', async () => {
    const userId = await newUser('carol')
    const { id, key } = (await call('POST', `/v1/admin/users/${userId}/keys`, { name: 'r' })).json()
    expect((await models(key as string)).statusCode).toBe(200) // now cached
    const first = await call('DELETE', `/v1/admin/users/${userId}/keys/${id as string}`)
    expect(first.statusCode).toBe(200)
    const refused = await models(key as string)
    expect(refused.statusCode).toBe(401)
    expect(refused.json().error.code).toBe('API_KEY_REVOKED')
    const second = await call('DELETE', `/v1/admin/users/${userId}/keys/${id as string}`)
    expect(second.json().revoked_at).toBe(first.json().revoked_at)
  })

  it('deleting a user refuses its keys at once (they are deleted with it)', async () => {
    const userId = await newUser('dave')
    const { key } = (await call('POST', `/v1/admin/users/${userId}/keys`, { name: 'd' })).json()
    expect((await models(key as string)).statusCode).toBe(200)
    expect((await call('DELETE', `/v1/admin/users/${userId}`)).statusCode).toBe(200)
    expect((await models(key as string)).json().error.code).toBe('INVALID_API_KEY')
  })

  it('evicts cached keys on this replica when a key, its user or their plan changes', async () => {
    await call('POST', '/v1/admin/plans', { name: 'evict-me' })
    const userId = (await call('POST', '/v1/admin/users', { name: 'erin', plan: 'evict-me' })).json().id as string
    const { id, key } = (await call('POST', `/v1/admin/users/${userId}/keys`, { name: 'e' })).json()
    const hash = sha256(key as string)
    const changes: Array<[string, string, object]> = [
      ['PATCH', `/v1/admin/users/${userId}/keys/${id as string}`, { allowed_models: ['mock-gpt'] }],
      ['PATCH', `/v1/admin/users/${userId}`, { limits: { monthly_token_quota: 10 } }],
      ['PATCH', '/v1/admin/plans/evict-me', { limits: { requests_per_minute: 5 } }]
    ]
    for (const [method, url, payload] of changes) {
      expect((await models(key as string)).statusCode).toBe(200)
      expect(stack.gateway.keyCache.get(hash)).toBeDefined()
      expect((await call(method as 'PATCH', url, payload)).statusCode).toBe(200)
      expect(stack.gateway.keyCache.get(hash), `${method} ${url}`).toBeUndefined()
    }
  })

  it('answers USER_NOT_FOUND / API_KEY_NOT_FOUND, and never acts on another user\'s key', async () => {
    const a = await newUser('owner')
    const b = await newUser('other')
    const { id } = (await call('POST', `/v1/admin/users/${a}/keys`, { name: 'mine' })).json()
    for (const [method, payload] of [['GET'], ['PATCH', { name: 'stolen' }], ['DELETE']] as const) {
      const res = await call(method, `/v1/admin/users/${b}/keys/${id as string}`, payload)
      expect(res.statusCode).toBe(404)
      expect(res.json().error).toMatchObject({ code: 'API_KEY_NOT_FOUND', details: { id } })
    }
    expect((await call('GET', `/v1/admin/users/${a}/keys/${id as string}`)).json()).toMatchObject({ name: 'mine', revoked_at: null })
    const noUser = await call('POST', '/v1/admin/users/00000000-0000-4000-8000-0000000000ff/keys', { name: 'x' })
    expect(noUser.statusCode).toBe(404)
    expect(noUser.json().error.code).toBe('USER_NOT_FOUND')
  })

  it('keeps /v1/api-keys compatible and lets it set the new fields; keys without a user are the default user\'s', async () => {
    const res = await call('POST', '/v1/api-keys', { name: 'legacy', expires_at: new Date(Date.now() + 3_600_000).toISOString(), allowed_models: ['mock-gpt'], limits: { tokens_per_minute: 100 } })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ user_id: null, allowed_models: ['mock-gpt'], limits: { tokens_per_minute: 100 } })
    const listed = (await call('GET', `/v1/admin/users/${DEFAULT_USER_ID}/keys`)).json().data
    expect(listed.map((k: { id: string }) => k.id)).toContain(res.json().id)
    const [row] = await stack.db.db.select().from(apiKeys).where(eq(apiKeys.id, res.json().id as string))
    expect(row?.limitOverrides).toEqual({ tokensPerMinute: 100 })
  })
})
