import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import type { DbHandle } from './database.js'
import { getMigrationTarget } from './migration-target.js'
import { MIGRATIONS_FOLDER, readJournal } from './migrations-folder.js'

export interface MigrationResult {
  /** Tags of the migrations this run applied, in order (empty when already up to date). */
  applied: string[]
  /** Migrations the package ships. */
  total: number
}

// Where drizzle's migrators record applied migrations (their defaults).
const LEDGER = 'drizzle.__drizzle_migrations'
// Arbitrary constant key: serialises concurrent migration runs (two deploy tasks, several dev
// processes) on one server, because drizzle's migrator itself does not lock.
const ADVISORY_LOCK_KEY = 7_466_328_101

type Query = (text: string) => Promise<Array<Record<string, unknown>>>

/** Tags the migrator is about to apply: drizzle applies every entry newer than the last one recorded. */
async function pendingTags (query: Query): Promise<string[]> {
  const journal = readJournal()
  const [exists] = await query(`select to_regclass('${LEDGER}') is not null as ok`)
  let last = -Infinity
  if (exists?.['ok'] === true) {
    const [row] = await query(`select max(created_at) as last from ${LEDGER}`)
    if (row?.['last'] != null) last = Number(row['last'])
  }
  return journal.filter((m) => m.when > last).map((m) => m.tag)
}

/**
 * Applies the committed SQL migrations in `drizzle/` that the database has not seen yet, in one
 * transaction; running it again is a no-op. For postgres it uses its own single-connection client
 * (drizzle's advice: migrations must not share the app pool) and holds an advisory lock so
 * concurrent runs take turns. PGlite handles are migrated in place.
 * @see https://orm.drizzle.team/docs/migrations
 */
export async function runMigrations (handle: DbHandle): Promise<MigrationResult> {
  const target = getMigrationTarget(handle)
  const total = readJournal().length
  if (target.kind === 'pglite') {
    const query: Query = async (text) => (await target.client.query<Record<string, unknown>>(text)).rows
    const applied = await pendingTags(query)
    await migratePglite(target.db, { migrationsFolder: MIGRATIONS_FOLDER })
    return { applied, total }
  }
  const client = postgres(target.url, { max: 1, connect_timeout: target.connectTimeoutS, onnotice: () => {} })
  try {
    await client`select pg_advisory_lock(${ADVISORY_LOCK_KEY})`
    const query: Query = async (text) => await client.unsafe(text)
    const applied = await pendingTags(query)
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER })
    await client`select pg_advisory_unlock(${ADVISORY_LOCK_KEY})`
    return { applied, total }
  } finally {
    // Ending the session also releases the lock if a migration failed half-way.
    await client.end({ timeout: 5 })
  }
}
