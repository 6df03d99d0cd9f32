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
  /** backend 'postgres': use this server's database (e.g. a throwaway Postgres) instead of a new one on the shared server. */
  databaseUrl?: string
  /** Receives the gateway's log lines (set LOG_LEVEL in gatewayEnv). */
  logStream?: { write: (line: string) => void }
  /** Router settings on top of the stack's (e.g. LOG_LEVEL, METRICS_PORT, provider keys). */
  routerEnv?: Record<string, string>
  /** Receives the router's log lines (set LOG_LEVEL in routerEnv). */
  routerLogStream?: { write: (line: string) => void }
  /**
   * Provider keys the router sends: the OpenAI-typed providers' and the Anthropic-typed one's
   * (the mock then requires them, as a provider would). Unset: no key is configured.
   */
  providerKeys?: { openai: string, anthropic: string }
  /** Called with the gateway after it is built and before it listens (test-only hooks). */
  beforeListen?: (gateway: FastifyInstance) => void
  /**
   * Also start a second mock provider that refuses every call with 401 (its key is not the one
   * the router sends), as the first deployment of `mock-gpt-fallback`, which falls back to `mock`.
   */
  revokedProvider?: boolean
}

export interface Stack {
  mock: StartedMockProvider
  /** The provider of `mock-gpt-fallback`'s first deployment (option revokedProvider only). */
  revokedMock: StartedMockProvider | undefined
  router: FastifyInstance
  routerUrl: string
  gateway: FastifyInstance
  gatewayUrl: string
  db: DbHandle
  /** The private Postgres database (backend 'postgres' only), e.g. for the CLI. */
  databaseUrl: string | undefined
  createKey: (name?: string) => Promise<{ id: string, key: string }>
  /** A second gateway instance on the same database, Redis and router (scale-out tests). */
  startAnotherGateway: () => Promise<{ app: FastifyInstance, url: string }>
  close: () => Promise<void>
}

/**
 * Writes a routing table serving mock-gpt, mock-gpt-mini and mock-embedding from the given mock provider, and
 * mock-claude from the same mock's Anthropic Messages API (an `anthropic`-typed provider). With
 * `revokedBaseUrl`, `mock-gpt-fallback` is served first by that provider, then by the mock.
 */
export function writeRoutesFile (mockBaseUrl: string, revokedBaseUrl?: string, withKeys = false): string {
  const dir = makeTempDir('routes')
  const file = join(dir, 'routes.json')
  const openaiKey = withKeys ? { apiKeyEnv: 'MOCK_OPENAI_API_KEY' } : {}
  const anthropicKey = withKeys ? { apiKeyEnv: 'MOCK_ANTHROPIC_API_KEY' } : {}
  const revoked = revokedBaseUrl === undefined
    ? { providers: {}, models: {} }
    : {
        providers: { 'mock-revoked': { type: 'openai', baseUrl: revokedBaseUrl, ...openaiKey } },
        models: { 'mock-gpt-fallback': [{ provider: 'mock-revoked', model: 'mock-gpt' }, { provider: 'mock', model: 'mock-gpt' }] }
      }
  writeFileSync(file, JSON.stringify({
    providers: {
      mock: { type: 'openai', baseUrl: mockBaseUrl, ...openaiKey },
      'mock-anthropic': { type: 'anthropic', baseUrl: mockBaseUrl, ...anthropicKey },
      ...revoked.providers
    },
    models: {
      'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }],
      'mock-gpt-mini': [{ provider: 'mock', model: 'mock-gpt-mini' }],
      'mock-embedding': [{ provider: 'mock', model: 'mock-embedding' }],
      'mock-claude': [{ provider: 'mock-anthropic', model: 'mock-claude-sonnet' }],
      ...revoked.models
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
  // Requires a key the router never sends: every call is the provider's own 401.
  const revokedMock = opts.revokedProvider === true ? await startMockProvider({ apiKey: 'sk-mock-revoked-key-0123456789' }) : undefined
  const routesFile = writeRoutesFile(mock.baseUrl, revokedMock?.baseUrl, opts.providerKeys !== undefined)
  const keys = opts.providerKeys === undefined ? {} : { MOCK_OPENAI_API_KEY: opts.providerKeys.openai, MOCK_ANTHROPIC_API_KEY: opts.providerKeys.anthropic }
  const routerConfig = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: routesFile, LOG_LEVEL: 'silent', ...keys, ...opts.routerEnv })
  // Read once at boot: the file can go now (the benchmark runs outside Vitest's temp root).
  rmSync(dirname(routesFile), { recursive: true, force: true })
  const router = await buildRouter(routerConfig, { logStream: opts.routerLogStream })
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
    if (opts.databaseUrl === undefined) pgDatabase = await createTestDatabase('gateway')
    const url = opts.databaseUrl ?? pgDatabase?.url ?? ''
    redisPrefix = createRedisPrefix('gateway')
    db = await createDb({ url, pool: { max: 5 } })
    await runMigrations(db)
    Object.assign(env, { DATABASE_URL: url, REDIS_URL: redisPrefix.url, REDIS_KEY_PREFIX: redisPrefix.prefix }, opts.gatewayEnv)
  } else {
    db = await createDb({ dataDir: 'memory://' })
  }
  const deps = { db, logStream: opts.logStream }
  const gateway = await buildApp(loadGatewayConfig(env, 'test'), deps)
  opts.beforeListen?.(gateway)
  const gatewayUrl = await listenOnLoopback(gateway)
  const extraGateways: FastifyInstance[] = []

  return {
    mock,
    revokedMock,
    router,
    routerUrl,
    gateway,
    gatewayUrl,
    db,
    databaseUrl: pgDatabase?.url,
    createKey: async (name = 'test key') => {
      const res = await gateway.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name } })
      if (res.statusCode !== 201) throw new Error(`creating a key failed: ${res.statusCode} ${res.body}`)
      const body = res.json<{ id: string, key: string }>()
      return { id: body.id, key: body.key }
    },
    startAnotherGateway: async () => {
      const app = await buildApp(loadGatewayConfig(env, 'test'), deps)
      opts.beforeListen?.(app)
      extraGateways.push(app)
      return { app, url: await listenOnLoopback(app) }
    },
    close: async () => {
      for (const extra of extraGateways) await extra.close()
      await gateway.close()
      await router.close()
      await mock.close()
      await revokedMock?.close()
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
