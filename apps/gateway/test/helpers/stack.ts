import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createDb, runMigrations, type DbHandle } from '@switchyard/db'
import { usageEvents } from '@switchyard/db/schema'
import { startMockProvider, type StartedMockProvider } from '@switchyard/mock-provider'
import { buildApp as buildRouter, loadRouterConfig } from '@switchyard/proxy-router'
import { createRedisPrefix, createTestDatabase, listenOnLoopback, makeTempDir, type TestDatabase, type TestRedisPrefix } from '@switchyard/testing'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildApp, loadGatewayConfig } from '../../src/app.js'

import { ADMIN_TOKEN, INTERNAL_TOKEN } from './tokens.js'

export { ADMIN_TOKEN, INTERNAL_TOKEN }

export interface StackOptions {
  backend: 'pglite' | 'postgres'
  chunkDelayMs?: number
  gatewayEnv?: Record<string, string>
}

export interface Stack {
  mock: StartedMockProvider
  router: FastifyInstance
  routerUrl: string
  gateway: FastifyInstance
  gatewayUrl: string
  db: DbHandle
  createKey: (name?: string) => Promise<{ id: string, key: string }>
  /** A second gateway instance on the same database, Redis and router (scale-out tests). */
  startAnotherGateway: () => Promise<{ app: FastifyInstance, url: string }>
  close: () => Promise<void>
}

/**
 * Writes a routing table serving mock-gpt (and mock-gpt-mini) from the given mock provider, and
 * mock-claude from the same mock's Anthropic Messages API (an `anthropic`-typed provider).
 */
export function writeRoutesFile (mockBaseUrl: string): string {
  const dir = makeTempDir('routes')
  const file = join(dir, 'routes.json')
  writeFileSync(file, JSON.stringify({
    providers: {
      mock: { type: 'openai', baseUrl: mockBaseUrl },
      'mock-anthropic': { type: 'anthropic', baseUrl: mockBaseUrl }
    },
    models: {
      'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }],
      'mock-gpt-mini': [{ provider: 'mock', model: 'mock-gpt-mini' }],
      'mock-claude': [{ provider: 'mock-anthropic', model: 'mock-claude-sonnet' }]
    }
  }))
  return file
}

/**
 * The whole request path on port 0: mock provider → proxy-router → gateway, with the gateway on
 * embedded PGlite (in memory) or on a private database of the real Postgres plus a private
 * Redis key prefix.
 */
export async function startStack (opts: StackOptions): Promise<Stack> {
  const mock = await startMockProvider({ chunkDelayMs: opts.chunkDelayMs ?? 0 })
  const routesFile = writeRoutesFile(mock.baseUrl)
  const routerConfig = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: routesFile, LOG_LEVEL: 'silent' })
  // Read once at boot: the file can go now (the benchmark runs outside Vitest's temp root).
  rmSync(dirname(routesFile), { recursive: true, force: true })
  const router = await buildRouter(routerConfig)
  const routerUrl = await listenOnLoopback(router)

  let pgDatabase: TestDatabase | undefined
  let redisPrefix: TestRedisPrefix | undefined
  let db: DbHandle
  const env: Record<string, string> = {
    INTERNAL_TOKEN,
    ADMIN_TOKEN,
    ROUTER_URL: routerUrl,
    LOG_LEVEL: 'silent',
    ...opts.gatewayEnv
  }
  if (opts.backend === 'postgres') {
    pgDatabase = await createTestDatabase('gateway')
    redisPrefix = createRedisPrefix('gateway')
    db = await createDb({ url: pgDatabase.url, pool: { max: 5 } })
    await runMigrations(db)
    Object.assign(env, { DATABASE_URL: pgDatabase.url, REDIS_URL: redisPrefix.url, REDIS_KEY_PREFIX: redisPrefix.prefix })
  } else {
    db = await createDb({ dataDir: 'memory://' })
  }
  const gateway = await buildApp(loadGatewayConfig(env, 'test'), { db })
  const gatewayUrl = await listenOnLoopback(gateway)
  const extraGateways: FastifyInstance[] = []

  return {
    mock,
    router,
    routerUrl,
    gateway,
    gatewayUrl,
    db,
    createKey: async (name = 'test key') => {
      const res = await gateway.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name } })
      if (res.statusCode !== 201) throw new Error(`creating a key failed: ${res.statusCode} ${res.body}`)
      const body = res.json<{ id: string, key: string }>()
      return { id: body.id, key: body.key }
    },
    startAnotherGateway: async () => {
      const app = await buildApp(loadGatewayConfig(env, 'test'), { db })
      extraGateways.push(app)
      return { app, url: await listenOnLoopback(app) }
    },
    close: async () => {
      for (const extra of extraGateways) await extra.close()
      await gateway.close()
      await router.close()
      await mock.close()
      await db.close()
      await pgDatabase?.drop()
      await redisPrefix?.cleanup()
    }
  }
}

/** The usage rows the gateway recorded for one request id (after flushing its buffer). */
export async function recordedUsage (stack: Stack, requestId: string | null | undefined): Promise<Array<typeof usageEvents.$inferSelect>> {
  await stack.gateway.usage.flush()
  return await stack.db.db.select().from(usageEvents).where(eq(usageEvents.requestId, requestId ?? ''))
}
