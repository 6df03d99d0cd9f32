import { DEFAULT_PLAN_ID, DEFAULT_USER_ID } from '@switchyard/db/schema'
import { infraFor } from '@switchyard/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminHeaders as admin, startPostgresApp, type PostgresApp } from '../helpers/postgres-app.js'

const infra = await infraFor('admin API: plans and users', ['postgres'])

describe.skipIf(!infra.ok)('admin API: plans and users (Postgres)', () => {
  let pg: PostgresApp
  beforeAll(async () => { pg = await startPostgresApp('admin_plans') })
  afterAll(async () => { await pg?.close() })

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    await pg.app.inject({ method, url, headers: admin, ...(payload === undefined ? {} : { payload }) })

  it('lists the seeded plans with their limits, null meaning unlimited', async () => {
    const res = await call('GET', '/v1/admin/plans')
    expect(res.statusCode).toBe(200)
    const byName = Object.fromEntries(res.json().data.map((p: { name: string }) => [p.name, p]))
    expect(byName.default).toMatchObject({ id: DEFAULT_PLAN_ID, limits: { monthly_token_quota: null, requests_per_minute: null, tokens_per_minute: null } })
    expect(byName.free.limits.monthly_token_quota).toBe(10_000)
    expect(byName.pro.limits.monthly_token_quota).toBe(1_000_000)
  })

  it('creates, reads by id and by name, updates and deletes a plan', async () => {
    const created = await call('POST', '/v1/admin/plans', { name: 'team', limits: { monthly_token_quota: 5_000_000, requests_per_minute: 120 } })
    expect(created.statusCode).toBe(201)
    const plan = created.json()
    expect(plan).toMatchObject({ object: 'plan', name: 'team', limits: { monthly_token_quota: 5_000_000, requests_per_minute: 120, tokens_per_minute: null } })

    expect((await call('GET', `/v1/admin/plans/${plan.id as string}`)).json().name).toBe('team')
    expect((await call('GET', '/v1/admin/plans/team')).json().id).toBe(plan.id)

    const patched = await call('PATCH', '/v1/admin/plans/team', { name: 'team-2', limits: { requests_per_minute: null, tokens_per_minute: 9000 } })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ name: 'team-2', limits: { monthly_token_quota: 5_000_000, requests_per_minute: null, tokens_per_minute: 9000 } })

    const deleted = await call('DELETE', '/v1/admin/plans/team-2')
    expect(deleted.json()).toEqual({ id: plan.id, object: 'plan', deleted: true })
    const gone = await call('GET', `/v1/admin/plans/${plan.id as string}`)
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error).toMatchObject({ code: 'PLAN_NOT_FOUND', details: { plan: plan.id } })
  })

  it('refuses a duplicate plan name with PLAN_NAME_TAKEN', async () => {
    const res = await call('POST', '/v1/admin/plans', { name: 'free' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'PLAN_NAME_TAKEN', param: 'name', details: { name: 'free' } })
    const rename = await call('PATCH', '/v1/admin/plans/pro', { name: 'free' })
    expect(rename.statusCode).toBe(409)
    expect(rename.json().error.code).toBe('PLAN_NAME_TAKEN')
  })

  it('refuses to delete a plan users are on (PLAN_IN_USE with the count), and the default plan', async () => {
    await call('POST', '/v1/admin/plans', { name: 'busy' })
    await call('POST', '/v1/admin/users', { name: 'A', plan: 'busy' })
    await call('POST', '/v1/admin/users', { name: 'B', plan: 'busy' })
    const res = await call('DELETE', '/v1/admin/plans/busy')
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'PLAN_IN_USE', details: { plan: 'busy', users: 2 } })
    expect((await call('GET', '/v1/admin/plans/busy')).statusCode).toBe(200)

    const def = await call('DELETE', '/v1/admin/plans/default')
    expect(def.statusCode).toBe(409)
    expect(def.json().error.code).toBe('DEFAULT_RESOURCE_PROTECTED')
  })

  it('creates a user on a plan by name, with overrides whose three states stay distinct', async () => {
    const res = await call('POST', '/v1/admin/users', {
      name: 'Zoë Ångström', email: 'Zoe@Example.com', plan: 'free', limits: { monthly_token_quota: 50_000, tokens_per_minute: null }
    })
    expect(res.statusCode).toBe(201)
    const user = res.json()
    expect(user).toMatchObject({ object: 'user', name: 'Zoë Ångström', email: 'zoe@example.com', plan: { name: 'free' } })
    // absent = inherit (requests_per_minute), null = unlimited, number = limit
    expect(user.limits).toEqual({ monthly_token_quota: 50_000, tokens_per_minute: null })

    const again = await call('GET', `/v1/admin/users/${user.id as string}`)
    expect(again.json()).toEqual(user)
  })

  it('PATCH: "inherit" removes an override, null makes it unlimited, absent leaves it alone', async () => {
    const { id } = (await call('POST', '/v1/admin/users', { name: 'P', limits: { monthly_token_quota: 1, requests_per_minute: 2 } })).json()
    const res = await call('PATCH', `/v1/admin/users/${id as string}`, { limits: { monthly_token_quota: 'inherit', tokens_per_minute: null } })
    expect(res.statusCode).toBe(200)
    expect(res.json().limits).toEqual({ requests_per_minute: 2, tokens_per_minute: null })
  })

  it('moves a user between plans by id or name, and back to the default plan with null', async () => {
    const pro = (await call('GET', '/v1/admin/plans/pro')).json()
    const { id } = (await call('POST', '/v1/admin/users', { name: 'mover' })).json()
    expect((await call('GET', `/v1/admin/users/${id as string}`)).json().plan).toEqual({ id: DEFAULT_PLAN_ID, name: 'default' })
    expect((await call('PATCH', `/v1/admin/users/${id as string}`, { plan: pro.id })).json().plan.name).toBe('pro')
    expect((await call('PATCH', `/v1/admin/users/${id as string}`, { plan: null })).json().plan.name).toBe('default')
    const unknown = await call('PATCH', `/v1/admin/users/${id as string}`, { plan: 'platinum' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error).toMatchObject({ code: 'PLAN_NOT_FOUND', details: { plan: 'platinum' } })
  })

  it('refuses a second user with the same email, whatever its case', async () => {
    await call('POST', '/v1/admin/users', { name: 'one', email: 'dup@example.com' })
    const res = await call('POST', '/v1/admin/users', { name: 'two', email: 'DUP@example.com' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'USER_EMAIL_TAKEN', param: 'email' })
  })

  it('pages through users', async () => {
    const firstRes = await call('GET', '/v1/admin/users?limit=2')
    expect(firstRes.statusCode, firstRes.body).toBe(200)
    const first = firstRes.json()
    expect(first.data).toHaveLength(2)
    expect(first.has_more).toBe(true)
    expect(first.data[0].id).toBe(DEFAULT_USER_ID)
    const rest = (await call('GET', '/v1/admin/users?limit=1000&offset=2')).json()
    expect(rest.has_more).toBe(false)
    expect(rest.data.map((u: { id: string }) => u.id)).not.toContain(first.data[1].id)
  })

  it('deletes a user with its keys, and never the default user', async () => {
    const { id } = (await call('POST', '/v1/admin/users', { name: 'leaver' })).json()
    await call('POST', `/v1/admin/users/${id as string}/keys`, { name: 'k1' })
    await call('POST', `/v1/admin/users/${id as string}/keys`, { name: 'k2' })
    const res = await call('DELETE', `/v1/admin/users/${id as string}`)
    expect(res.json()).toEqual({ id, object: 'user', deleted: true, deleted_keys: 2 })
    const keys = (await call('GET', '/v1/api-keys')).json().data
    expect(keys.filter((k: { user_id: string }) => k.user_id === id)).toEqual([])
    expect((await call('GET', `/v1/admin/users/${id as string}`)).json().error.code).toBe('USER_NOT_FOUND')

    const def = await call('DELETE', `/v1/admin/users/${DEFAULT_USER_ID}`)
    expect(def.statusCode).toBe(409)
    expect(def.json().error.code).toBe('DEFAULT_RESOURCE_PROTECTED')
  })
})
