import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createDb, runMigrations, type DbHandle } from '@switchyard/db'
import { createTestDatabase, listenOnLoopback, type TestDatabase } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from './tokens.js'

export interface GatewayWithFakeRouter {
  gateway: FastifyInstance
  url: string
  db: DbHandle
  key: string
  close: () => Promise<void>
}

/**
 * A gateway on a private database of the real Postgres, in front of a fake proxy-router that
 * answers every request with `handler` (for router behaviour the real router never shows: a body
 * cut mid-way, a provider reporting zero usage).
 */
export async function gatewayWithFakeRouter (handler: (req: IncomingMessage, res: ServerResponse) => void, beforeListen?: (gateway: FastifyInstance) => void): Promise<GatewayWithFakeRouter> {
  const router = createServer(handler)
  const routerUrl = await listenOnLoopback({ listen: async (o) => await new Promise((resolve) => router.listen(o.port, o.host, () => resolve(''))), server: router })
  const database: TestDatabase = await createTestDatabase('fake_router')
  const db = await createDb({ url: database.url, pool: { max: 3 } })
  await runMigrations(db)
  const gateway = await buildApp(loadGatewayConfig({ INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'silent', ROUTER_URL: routerUrl, DATABASE_URL: database.url }, 'test'), { db })
  beforeListen?.(gateway)
  const url = await listenOnLoopback(gateway)
  const created = await gateway.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'fake router' } })
  const key = created.json<{ key: string }>().key
  return {
    gateway,
    url,
    db,
    key,
    close: async () => {
      await gateway.close()
      router.closeAllConnections()
      await new Promise((resolve) => router.close(resolve))
      await db.close()
      await database.drop()
    }
  }
}
