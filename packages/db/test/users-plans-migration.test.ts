import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, infraFor, type TestDatabase } from '@switchyard/testing'
import { MIGRATIONS_FOLDER } from '../src/migrations-folder.js'

const infra = await infraFor('users/plans migration on postgres', ['postgres'])

function statements (tag: string): string[] {
  return readFileSync(`${MIGRATIONS_FOLDER}${tag}.sql`, 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean)
}

async function apply (sql: postgres.Sql, tag: string): Promise<void> {
  for (const statement of statements(tag)) await sql.unsafe(statement)
}

describe.skipIf(!infra.ok)('migration 0001 (users, plans, quotas) on a database with data from 0000', () => {
  let testDb: TestDatabase
  let sql: postgres.Sql
  const oldKeyId = '11111111-1111-4111-8111-111111111111'

  beforeAll(async () => {
    testDb = await createTestDatabase('db_users_plans')
    sql = postgres(testDb.url, { max: 1, onnotice: () => {} })
    await apply(sql, '0000_init')
    // What the previous release wrote: a key without a user, and two usage rows sharing a
    // client-supplied request id.
    await sql`insert into api_keys (id, name, key_hash, key_prefix) values (${oldKeyId}, 'old', 'hash-old', 'sk-sy-old')`
    for (let i = 0; i < 2; i++) {
      await sql`insert into usage_events (api_key_id, request_id, model, status_code, latency_ms, total_tokens)
                values (${oldKeyId}, 'client-id', 'm', 200, 5, ${10 + i})`
    }
    await apply(sql, '0001_users_plans_quotas')
  })
  afterAll(async () => {
    await sql?.end({ timeout: 1 })
    await testDb?.drop()
  })

  it('seeds the default, free and pro plans and a default user on the default plan', async () => {
    const plans = await sql<Array<{ name: string, monthly_token_quota: string | null }>>`
      select name, monthly_token_quota from plans order by name`
    expect(plans.map((p) => [p.name, p.monthly_token_quota === null ? null : Number(p.monthly_token_quota)]))
      .toEqual([['default', null], ['free', 10_000], ['pro', 1_000_000]])
    const [user] = await sql<Array<{ plan: string }>>`
      select p.name as plan from users u join plans p on p.id = u.plan_id where u.id = '00000000-0000-4000-8000-000000000002'`
    expect(user?.plan).toBe('default')
  })

  it('gives keys that had no user to the default user, keeping every usage row', async () => {
    const [key] = await sql<Array<{ user_id: string }>>`select user_id from api_keys where id = ${oldKeyId}`
    expect(key?.user_id).toBe('00000000-0000-4000-8000-000000000002')
    const rows = await sql<Array<{ request_id: string, total_tokens: number }>>`
      select request_id, total_tokens from usage_events order by id`
    expect(rows.map((r) => r.total_tokens)).toEqual([10, 11])
    expect(rows[0]?.request_id).toBe('client-id')
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(2)
  })

  it('makes request ids unique, so a retried batch insert writes each event once', async () => {
    const insert = async () => await sql`
      insert into usage_events (api_key_id, request_id, model, status_code, latency_ms)
      values (${oldKeyId}, 'req_once', 'm', 200, 1) on conflict (request_id) do nothing returning id`
    expect(await insert()).toHaveLength(1)
    expect(await insert()).toHaveLength(0)
  })

  it('bumps the auth revision on key, user and plan changes, but not on last_used_at', async () => {
    const revision = async () => Number((await sql<Array<{ revision: string }>>`select revision from auth_revision where id = 1`)[0]?.revision)
    const r0 = await revision()
    await sql`update api_keys set last_used_at = now() where id = ${oldKeyId}`
    expect(await revision()).toBe(r0)
    await sql`update api_keys set revoked_at = now() where id = ${oldKeyId}`
    expect(await revision()).toBe(r0 + 1)
    await sql`update plans set tokens_per_minute = 5 where name = 'free'`
    expect(await revision()).toBe(r0 + 2)
    await sql`insert into users (name) values ('someone')`
    expect(await revision()).toBe(r0 + 3)
  })

  it('refuses to delete a plan that users are on', async () => {
    await expect(sql`delete from plans where name = 'default'`).rejects.toMatchObject({ code: '23503' })
  })
})
