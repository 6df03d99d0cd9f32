import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as schema from './schema/index.js'

/**
 * The one query type for both drivers. postgres.js and PGlite databases are both
 * `PgDatabase<driver HKT, schema>`; widening the HKT to the base lets callers write a single code
 * path (insert/select/update/delete with `.returning()`, transactions, `db.query.*`). Only the
 * shape of raw `db.execute()` results differs between drivers, so prefer the query builder.
 */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export type DbKind = 'postgres' | 'pglite'

export interface DbHandle {
  db: Database
  /** Which driver is behind `db`: a real server (postgres.js) or the embedded PGlite. */
  kind: DbKind
  /** One `select 1`. Rejects when the database cannot answer (connect timeout, closed handle). */
  ping: () => Promise<void>
  /** Ends the pool / closes PGlite, waiting briefly for in-flight queries. Safe to call twice. */
  close: () => Promise<void>
}
