import { createDb, type DbHandle } from '@switchyard/db'
import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from './tokens.js'

/**
 * A gateway on in-memory PGlite for tests that need no router (admin API, auth, internal routes).
 * Config is built literally; the app and database are closed when the test finishes.
 */
export async function buildTestApp (env: Record<string, string | undefined> = {}): Promise<{ app: FastifyInstance, db: DbHandle }> {
  const db = await createDb({ dataDir: 'memory://' })
  const app = await buildApp(loadGatewayConfig({ INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'silent', ROUTER_URL: 'http://127.0.0.1:9', ...env }, 'test'), { db })
  onTestFinished(async () => {
    await app.close()
    await db.close()
  })
  return { app, db }
}
