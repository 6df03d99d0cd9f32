import type { SQL } from 'drizzle-orm'
import type { Database } from '../../src/index.js'

/**
 * Raw `db.execute()` results are driver-shaped (postgres.js: an array of rows; PGlite:
 * `{ rows }`), so the shared `Database` type types them as `unknown`. Tests that need raw SQL
 * normalise here; application code uses the query builder instead.
 */
export async function rowsOf<T> (db: Database, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query)
  if (Array.isArray(result)) return result as T[]
  return (result as { rows: T[] }).rows
}
