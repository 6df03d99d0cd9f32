import { Redis } from 'ioredis'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { createRedisPrefix, createTestDatabase, infraFor, startBlackhole } from '../src/index.js'

const infra = await infraFor('testing helpers', ['postgres', 'redis'])

describe.skipIf(!infra.ok)('test infrastructure helpers', () => {
  it('creates a private database and drops it again', async () => {
    const db = await createTestDatabase('helpers')
    const sql = postgres(db.url, { max: 1 })
    const [row] = await sql<Array<{ name: string }>>`select current_database() as name`
    await sql.end()
    expect(row?.name).toBe(db.name)
    await db.drop()
    const admin = postgres(db.url.replace(db.name, 'postgres'), { max: 1 })
    const left = await admin`select 1 from pg_database where datname = ${db.name}`
    await admin.end()
    expect(left.length).toBe(0)
  })

  it('removes every key under a suite prefix', async () => {
    const p = createRedisPrefix('helpers')
    const redis = new Redis(p.url)
    await redis.set(`${p.prefix}a`, '1')
    await redis.set(`${p.prefix}b`, '2')
    await p.cleanup()
    expect(await redis.exists(`${p.prefix}a`, `${p.prefix}b`)).toBe(0)
    redis.disconnect()
  })
})

describe('blackhole', () => {
  it('accepts connections and counts them without answering', async () => {
    const hole = await startBlackhole()
    const ac = new AbortController()
    const pending = fetch(hole.url, { signal: ac.signal }).catch((err: Error) => err.name)
    await new Promise((resolve) => setTimeout(resolve, 100))
    ac.abort()
    expect(await pending).toBe('AbortError')
    expect(hole.connections).toBe(1)
    await hole.close()
  })
})
