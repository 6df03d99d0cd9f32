import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/pglite'
import type { DbHandle } from './database.js'
import { setMigrationTarget } from './migration-target.js'
import { once } from './once.js'
import * as schema from './schema/index.js'

export const IN_MEMORY = 'memory://'

/**
 * Embedded Postgres (WASM) so `pnpm dev` and single-box installs need no database server.
 * One process owns the data directory: two processes opening it at once corrupt it, which is why
 * anything scaled out must set DATABASE_URL. Queries run one at a time (no pool).
 * @see https://pglite.dev/docs/api
 */
export async function openPglite (dataDir: string): Promise<{ handle: DbHandle, location: string }> {
  let location = IN_MEMORY
  if (dataDir !== IN_MEMORY) {
    location = resolve(dataDir, 'pglite')
    await mkdir(location, { recursive: true })
  }
  const client = await PGlite.create(location)
  const db = drizzle({ client, schema })
  const handle: DbHandle = {
    db,
    kind: 'pglite',
    ping: async () => { await db.execute(sql`select 1`) },
    close: once(async () => { await client.close() })
  }
  setMigrationTarget(handle, { kind: 'pglite', db, client })
  return { handle, location }
}
