import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import postgres from 'postgres'

/**
 * Real Postgres and Redis for integration suites. Each suite gets its own database / key prefix
 * and removes it afterwards, because CI reuses the machine.
 *
 * Without the servers, suites that need them are skipped with a plain reason; with CI=true a
 * missing server is a failure instead, so CI can never go green by skipping.
 */
export const testDatabaseAdminUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const testRedisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379'
const requireInfra = process.env['CI'] === 'true' || process.env['CI'] === '1'

export interface Availability { ok: boolean, reason: string }

async function withTimeout<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function checkPostgres (): Promise<Availability> {
  const sql = postgres(testDatabaseAdminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} })
  try {
    await withTimeout(sql`select 1`, 2000, 'Postgres')
    return { ok: true, reason: '' }
  } catch (err) {
    return { ok: false, reason: `Postgres at ${testDatabaseAdminUrl} is not reachable (${(err as Error).message})` }
  } finally {
    await sql.end({ timeout: 0 })
  }
}

async function checkRedis (): Promise<Availability> {
  const redis = new Redis(testRedisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
  redis.on('error', () => {})
  try {
    await withTimeout(redis.connect().then(async () => await redis.ping()), 2000, 'Redis')
    return { ok: true, reason: '' }
  } catch (err) {
    return { ok: false, reason: `Redis at ${testRedisUrl} is not reachable (${(err as Error).message})` }
  } finally {
    redis.disconnect()
  }
}

/**
 * Decides whether a suite that needs `needs` can run. Call at the top of a test file:
 *   const infra = await requireInfra('gateway on Postgres', ['postgres', 'redis'])
 *   describe.skipIf(!infra.ok)(...)
 * Prints why a suite is skipped; throws (fails the file) when CI=true.
 */
export async function infraFor (suite: string, needs: Array<'postgres' | 'redis'>): Promise<Availability> {
  const results = await Promise.all(needs.map(async (n) => n === 'postgres' ? await checkPostgres() : await checkRedis()))
  const missing = results.filter((r) => !r.ok)
  if (missing.length === 0) return { ok: true, reason: '' }
  const reason = missing.map((m) => m.reason).join('; ')
  if (requireInfra) {
    throw new Error(`CI=true and suite "${suite}" needs a server that is not running: ${reason}`)
  }
  console.warn(`\n[switchyard] SKIPPED suite "${suite}": ${reason}. Start the server (see README) or set CI=true to make this a failure.\n`)
  return { ok: false, reason }
}

export interface TestDatabase {
  url: string
  name: string
  drop: () => Promise<void>
}

/** Creates an empty database for one suite; `drop()` removes it (and kicks leftover sessions). */
export async function createTestDatabase (label = 'suite'): Promise<TestDatabase> {
  const name = `sy_test_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`
  const admin = postgres(testDatabaseAdminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database "${name}"`)
  } finally {
    await admin.end({ timeout: 1 })
  }
  const url = new URL(testDatabaseAdminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const sql = postgres(testDatabaseAdminUrl, { max: 1, onnotice: () => {} })
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`)
      } finally {
        await sql.end({ timeout: 1 })
      }
    }
  }
}

export interface TestRedisPrefix {
  url: string
  prefix: string
  cleanup: () => Promise<void>
}

/** A unique key prefix for one suite; `cleanup()` deletes every key under it. */
export function createRedisPrefix (label = 'suite'): TestRedisPrefix {
  const prefix = `sy_test:${label}:${randomBytes(4).toString('hex')}:`
  return {
    url: testRedisUrl,
    prefix,
    cleanup: async () => {
      const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 })
      try {
        let cursor = '0'
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          cursor = next
          if (keys.length > 0) await redis.del(...keys)
        } while (cursor !== '0')
      } finally {
        redis.disconnect()
      }
    }
  }
}
