// Decorates `db` (drizzle) and `dbHandle` (ping/close/kind). Owns the pool: closed in onClose,
// after the HTTP server has drained, so in-flight requests can still record usage.
import { ConfigError } from '@switchyard/config'
import { createDb, poolConfigFromEnv, type Database, type DbHandle } from '@switchyard/db'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { GatewayConfig } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    dbHandle: DbHandle
  }
}

export interface DatabasePluginOptions {
  config: GatewayConfig
  /** Tests may pass an already-open handle (e.g. in-memory PGlite shared with assertions). */
  handle?: DbHandle
}

async function database (app: FastifyInstance, opts: DatabasePluginOptions): Promise<void> {
  const { config } = opts
  if (opts.handle === undefined && config.DATABASE_URL === undefined && !config.EMBEDDED_DATABASE) {
    throw new ConfigError('DATABASE_URL is not set. Set it to your Postgres URL, or set EMBEDDED_DATABASE=true to run on the embedded single-instance PGlite database (development and trials only).')
  }
  const handle = opts.handle ?? await createDb({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pool: poolConfigFromEnv(config),
    migrate: config.DB_MIGRATE_ON_START,
    // createDb says which database is in use; for PGlite that line is the single-instance warning.
    log: (msg, level) => { app.log[level](msg) }
  })
  app.decorate('db', handle.db)
  app.decorate('dbHandle', handle)
  app.addHook('onClose', async () => {
    if (opts.handle === undefined) await handle.close()
  })
}

export const databasePlugin = fp(database, { name: 'database', fastify: '5.x' })
