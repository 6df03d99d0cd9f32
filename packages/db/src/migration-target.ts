import type { PGlite } from '@electric-sql/pglite'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { DbHandle } from './database.js'
import type * as schema from './schema/index.js'

/**
 * What `runMigrations` needs to migrate a handle, kept out of the public `DbHandle` type: the
 * driver-specific drizzle instance (PGlite) or the URL for a dedicated one-connection client
 * (postgres). A WeakMap, so a dropped handle leaves nothing behind.
 */
export type MigrationTarget =
  | { kind: 'postgres', url: string, connectTimeoutS: number }
  | { kind: 'pglite', db: PgliteDatabase<typeof schema>, client: PGlite }

const targets = new WeakMap<DbHandle, MigrationTarget>()

export function setMigrationTarget (handle: DbHandle, target: MigrationTarget): void {
  targets.set(handle, target)
}

export function getMigrationTarget (handle: DbHandle): MigrationTarget {
  const target = targets.get(handle)
  if (target === undefined) throw new TypeError('runMigrations: not a handle returned by createDb()')
  return target
}
