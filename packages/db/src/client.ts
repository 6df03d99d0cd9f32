import type { DbHandle } from './database.js'
import { runMigrations } from './migrate.js'
import { IN_MEMORY, openPglite } from './pglite-client.js'
import { DEFAULT_POOL_CONFIG, type PoolConfig } from './pool-config.js'
import { describeUrl, openPostgres } from './postgres-client.js'

export interface CreateDbOptions {
  /** postgres://… of a real server. Unset → embedded PGlite (single instance only). */
  url?: string
  /** PGlite data lives in `${dataDir}/pglite`; `'memory://'` keeps it in memory. Default `.data`. */
  dataDir?: string
  /** Overrides for DEFAULT_POOL_CONFIG (postgres only; PGlite has one in-process connection). */
  pool?: Partial<PoolConfig>
  /**
   * Apply pending migrations before returning (postgres only; default false because production
   * runs them once per deploy with `pnpm db:migrate`, not from every task). PGlite always migrates.
   */
  migrate?: boolean
  /**
   * Receives what the factory did: which database is in use (level 'warn' for the embedded one,
   * which is single-instance only) and which migrations it applied.
   */
  log?: (msg: string, level: 'info' | 'warn') => void
}

const DEFAULT_DATA_DIR = '.data'

/**
 * Opens the database a service uses: postgres.js with an explicit pool when `url` is set,
 * otherwise the embedded PGlite, migrated at start so `pnpm dev` works with no setup.
 * The returned handle is what a Fastify plugin decorates and closes in `onClose`.
 */
export async function createDb (options: CreateDbOptions = {}): Promise<DbHandle> {
  const log = options.log ?? (() => {})
  if (options.url !== undefined && options.url !== '') {
    const pool: PoolConfig = { ...DEFAULT_POOL_CONFIG, ...options.pool }
    const handle = openPostgres(options.url, pool)
    log(`database: postgres at ${describeUrl(options.url)} (pool max ${pool.max}, connect timeout ${pool.connectTimeoutS}s, idle timeout ${pool.idleTimeoutS}s, max lifetime ${pool.maxLifetimeS}s, statement timeout ${pool.statementTimeoutS}s, query deadline ${pool.queryTimeoutMs}ms)`, 'info')
    if (options.migrate === true) await migrateOrClose(handle, log)
    return handle
  }
  const { handle, location } = await openPglite(options.dataDir ?? DEFAULT_DATA_DIR)
  const where = location === IN_MEMORY ? 'in memory (data is lost on exit)' : `at ${location}`
  log(`database: embedded PGlite ${where}; single instance only, set DATABASE_URL to share a Postgres server between processes`, 'warn')
  await migrateOrClose(handle, log)
  return handle
}

async function migrateOrClose (handle: DbHandle, log: (msg: string, level: 'info' | 'warn') => void): Promise<void> {
  try {
    const { applied } = await runMigrations(handle)
    if (applied.length > 0) log(`database: applied migrations ${applied.join(', ')}`, 'info')
  } catch (err) {
    // Do not leak an open pool / PGlite instance when start-up fails.
    await handle.close()
    throw err
  }
}
