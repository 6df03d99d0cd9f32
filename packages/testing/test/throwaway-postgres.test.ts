import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { startThrowawayPostgres, throwawayPostgresUnavailable } from '../src/index.js'

const unavailable = throwawayPostgresUnavailable()
if (unavailable !== undefined && (process.env['CI'] === 'true' || process.env['CI'] === '1')) throw new Error(`CI=true: ${unavailable}`)
if (unavailable !== undefined) console.warn(`[switchyard] SKIPPED throwaway Postgres: ${unavailable}`)

describe.skipIf(unavailable !== undefined)('startThrowawayPostgres', () => {
  it('starts a private server that can be stopped and started again on the same port, keeping its data', async () => {
    const pg = await startThrowawayPostgres()
    try {
      const sql = postgres(pg.url, { max: 1, connect_timeout: 2, onnotice: () => {} })
      await sql`create table t (n int)`
      await sql`insert into t values (1)`
      await pg.stop()
      await expect(sql`select 1`).rejects.toThrow()
      await pg.start()
      const rows = await sql<Array<{ n: number }>>`select n from t`
      expect(rows.map((r) => r.n)).toEqual([1])
      await sql.end({ timeout: 1 })
    } finally {
      await pg.destroy()
    }
    const sql = postgres(pg.url, { max: 1, connect_timeout: 1 })
    await expect(sql`select 1`).rejects.toThrow()
    await sql.end({ timeout: 0 })
  }, 60_000)
})
