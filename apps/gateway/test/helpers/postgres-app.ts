import { createDb, runMigrations, type DbHandle } from '@switchyard/db'
import { createTestDatabase, type TestDatabase } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from './tokens.js'

export interface PostgresApp {
  app: FastifyInstance
  db: DbHandle
  database: TestDatabase
  close: () => Promise<void>
}

/**
 * A gateway (no router) on a private, migrated database of the real Postgres: for suites that
 * exercise the admin API or the CLI against what production runs. Call in beforeAll, close in afterAll.
 */
export async function startPostgresApp (label: string): Promise<PostgresApp> {
  const database = await createTestDatabase(label)
  const db = await createDb({ url: database.url, pool: { max: 3 } })
  await runMigrations(db)
  const app = await buildApp(loadGatewayConfig({
    INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'silent', ROUTER_URL: 'http://127.0.0.1:9', DATABASE_URL: database.url
  }, 'test'), { db })
  await app.ready()
  return {
    app,
    db,
    database,
    close: async () => {
      await app.close()
      await db.close()
      await database.drop()
    }
  }
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` }
