import { createHash } from 'node:crypto'
import { apiKeys } from '@switchyard/db/schema'
import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }

describe('admin API: keys', () => {
  it('creates a key, shows the plaintext once and stores only its hash', async () => {
    const { app, db } = await buildTestApp()
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'ci' } })
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ object: 'api_key', name: 'ci', revoked_at: null, user_id: null })
    expect(created.key).toMatch(/^sk-sy-/)
    expect(created.key_prefix).toBe(created.key.slice(0, 12))

    const [row] = await db.db.select().from(apiKeys)
    expect(row?.keyHash).toBe(createHash('sha256').update(created.key).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(created.key)

    const list = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: admin })
    expect(list.statusCode).toBe(200)
    expect(list.json().data).toHaveLength(1)
    expect(list.body).not.toContain(created.key)
    expect(list.body).not.toContain(row?.keyHash)
  })

  it('refuses admin calls without the admin token, or with a client key', async () => {
    const { app } = await buildTestApp()
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { 'x-api-key': ADMIN_TOKEN }]) {
      const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'x' } })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('INVALID_ADMIN_TOKEN')
    }
  })

  it('keeps the admin API closed when no ADMIN_TOKEN is configured', async () => {
    const { app } = await buildTestApp({ ADMIN_TOKEN: undefined })
    const res = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: 'Bearer anything-at-all-here' } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('INVALID_ADMIN_TOKEN')
  })

  it('validates input and names what is missing', async () => {
    const { app } = await buildTestApp()
    const noName = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: {} })
    expect(noName.statusCode).toBe(400)
    expect(noName.json().error).toMatchObject({ code: 'INVALID_REQUEST', param: 'name' })

    const badId = await app.inject({ method: 'DELETE', url: '/v1/api-keys/not-a-uuid', headers: admin })
    expect(badId.statusCode).toBe(400)

    const unknown = await app.inject({ method: 'DELETE', url: '/v1/api-keys/00000000-0000-4000-8000-000000000000', headers: admin })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('RESOURCE_NOT_FOUND')

    const noUser = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'x', user_id: '00000000-0000-4000-8000-000000000000' } })
    expect(noUser.statusCode).toBe(404)
    expect(noUser.json().error).toMatchObject({ code: 'RESOURCE_NOT_FOUND', param: 'user_id' })
  })

  it('revokes idempotently, keeping the first revocation time', async () => {
    const { app } = await buildTestApp()
    const { id } = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'r' } })).json()
    const first = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: admin })
    const second = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: admin })
    expect(first.statusCode).toBe(200)
    expect(second.json().revoked_at).toBe(first.json().revoked_at)
  })
})

describe('internal routes', () => {
  it('pings the database only for callers with the internal token', async () => {
    const { app } = await buildTestApp()
    const refused = await app.inject({ method: 'GET', url: '/internal/db' })
    expect(refused.statusCode).toBe(401)
    expect(refused.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
    const ok = await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': 'test-internal-token-0123456789' } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ ok: true, kind: 'pglite' })
  })
})
