import { createHash, randomBytes } from 'node:crypto'
import { createDb, runMigrations, type DbHandle } from '@switchyard/db'
import { buildApp as buildHealth, loadHealthConfig } from '@switchyard/health'
import { startMockProvider, type StartedMockProvider } from '@switchyard/mock-provider'
import { buildApp as buildRouter, loadRouterConfig } from '@switchyard/proxy-router'
import { captureLogs, closedPort, createRedisPrefix, createTestDatabase, infraFor, listenOnLoopback, type LogCapture, type TestDatabase, type TestRedisPrefix } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'

// The secret guarantee, end to end: the three services on real Postgres and Redis, with
// real-looking tokens and provider keys, driven through successes, streams, provider failures,
// bad credentials and every debug and status route. Nothing any of them logs, answers (bodies
// and headers) or exports as metrics may contain a secret, nor an obvious piece or encoding of one.

const infra = await infraFor('secrets never leak', ['postgres', 'redis'])

const random = (n: number) => randomBytes(n).toString('base64url').slice(0, n)
const OPENAI_API_KEY = `sk-proj-${random(48)}`
const ANTHROPIC_API_KEY = `sk-ant-api03-${random(86)}-${random(6)}AA`
const ADMIN_TOKEN = `sy-admin-${random(40)}`
const INTERNAL_TOKEN = `sy-internal-${random(40)}`
const HEALTH_TOKEN = `sy-health-${random(40)}`
const WRONG_ADMIN_TOKEN = `sy-admin-${random(40)}`
const BOGUS_CLIENT_KEY = `sk-sy-${random(43)}`
const PG_PASSWORD = `pg-${random(28)}`
const REDIS_PASSWORD = `redis-${random(28)}`

const sha12 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12)

/** A secret, the part after its well-known prefix, its base64 forms, its URL encoding, and every 16-character window. */
function variants (secret: string): string[] {
  const body = secret.replace(/^(sk-proj-|sk-ant-api03-|sk-sy-|sy-[a-z]+-|pg-|redis-)/, '')
  const windows: string[] = []
  for (let i = 0; i + 16 <= body.length; i += 4) windows.push(body.slice(i, i + 16))
  return [secret, body, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret), ...windows]
}

interface Captured { what: string, text: string }

describe.skipIf(!infra.ok)('secrets never leak', () => {
  const logs: Record<'router' | 'gateway' | 'health', LogCapture> = { router: captureLogs(), gateway: captureLogs(), health: captureLogs() }
  const captured: Captured[] = []
  let openai: StartedMockProvider
  let anthropic: StartedMockProvider
  let revoked: StartedMockProvider
  let router: FastifyInstance
  let gateway: FastifyInstance
  let health: FastifyInstance
  let urls: { router: string, gateway: string, health: string }
  let database: TestDatabase
  let redisPrefix: TestRedisPrefix
  let db: DbHandle
  let clientKey: string

  /** One HTTP call whose status, headers and body are all captured for the final scan. */
  async function call (what: string, url: string, init: RequestInit = {}): Promise<{ status: number, body: string, headers: Headers }> {
    const res = await fetch(url, init)
    const body = await res.text()
    captured.push({ what, text: `${res.status}\n${JSON.stringify([...res.headers])}\n${body}` })
    return { status: res.status, body, headers: res.headers }
  }
  const asClient = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' })
  const chat = async (what: string, body: object, key = clientKey) =>
    await call(what, `${urls.gateway}/v1/chat/completions`, { method: 'POST', headers: asClient(key), body: JSON.stringify(body) })

  beforeAll(async () => {
    openai = await startMockProvider({ apiKey: OPENAI_API_KEY })
    anthropic = await startMockProvider({ apiKey: ANTHROPIC_API_KEY })
    // Expects another key than the one the router holds: every call is the provider's 401.
    revoked = await startMockProvider({ apiKey: `sk-proj-${random(48)}` })
    const routes = {
      providers: {
        openai: { type: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: 'OPENAI_API_KEY' },
        anthropic: { type: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: 'ANTHROPIC_API_KEY' },
        'openai-revoked': { type: 'openai', baseUrl: revoked.baseUrl, apiKeyEnv: 'OPENAI_API_KEY' }
      },
      models: {
        'mock-gpt': [{ provider: 'openai', model: 'mock-gpt' }],
        'mock-embedding': [{ provider: 'openai', model: 'mock-embedding' }],
        'mock-claude': [{ provider: 'anthropic', model: 'mock-claude-sonnet' }],
        'revoked-gpt': [{ provider: 'openai-revoked', model: 'mock-gpt' }]
      }
    }
    const common = { HOST: '127.0.0.1', LOG_LEVEL: 'debug', METRICS_PORT: '0' }
    router = await buildRouter(loadRouterConfig({ ...common, INTERNAL_TOKEN, HEALTH_TOKEN, ROUTES_JSON: JSON.stringify(routes), OPENAI_API_KEY, ANTHROPIC_API_KEY, ROUTER_BACKOFF_BASE_MS: '1', ROUTER_BACKOFF_CAP_MS: '5' }, 'test'), { logStream: logs.router.stream })
    const routerUrl = await listenOnLoopback(router)

    database = await createTestDatabase('secrets')
    redisPrefix = createRedisPrefix('secrets')
    const databaseUrl = new URL(database.url)
    databaseUrl.password = PG_PASSWORD // trust auth accepts it: it is here to be masked, not to be checked
    const redisUrl = new URL(redisPrefix.url)
    redisUrl.username = 'default'
    redisUrl.password = REDIS_PASSWORD
    db = await createDb({ url: databaseUrl.toString(), pool: { max: 5 } })
    await runMigrations(db)

    // Gateway and health each need the other's address: the gateway's port is chosen first.
    const gatewayPort = await closedPort()
    health = await buildHealth({
      ...loadHealthConfig({ ...common, HEALTH_TOKEN, GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`, ROUTER_URL: routerUrl, DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl.toString() }),
      version: 'test'
    }, { logStream: logs.health.stream })
    const healthUrl = await listenOnLoopback(health)
    const stores = { DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl.toString(), REDIS_KEY_PREFIX: redisPrefix.prefix }
    const gatewayEnv = { ...common, ...stores, INTERNAL_TOKEN, ADMIN_TOKEN, HEALTH_TOKEN, ROUTER_URL: routerUrl, HEALTH_URL: healthUrl }
    gateway = await buildApp(loadGatewayConfig(gatewayEnv, 'test'), { db, logStream: logs.gateway.stream })
    await gateway.listen({ host: '127.0.0.1', port: gatewayPort })
    urls = { router: routerUrl, gateway: `http://127.0.0.1:${gatewayPort}`, health: healthUrl }

    // The one answer that carries a credential by design (the new key, shown once): kept out of the scan.
    const created = await fetch(`${urls.gateway}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'leak test' }) })
    clientKey = (await created.json() as { key: string }).key
  })

  afterAll(async () => {
    await gateway?.close()
    await health?.close()
    await router?.close()
    await Promise.all([openai?.close(), anthropic?.close(), revoked?.close()])
    await db?.close()
    await database?.drop()
    await redisPrefix?.cleanup()
  })

  it('serves successes, streams and failures, and the debug routes show every secret only as its hash', async () => {
    expect((await chat('completion', { model: 'mock-gpt', messages: [{ role: 'user', content: 'hello' }] })).status).toBe(200)
    const stream = await chat('stream', { model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'stream please' }] })
    expect(stream.status).toBe(200)
    expect(stream.body).toContain('[DONE]')
    expect((await chat('anthropic', { model: 'mock-claude', messages: [{ role: 'user', content: 'hi claude' }] })).status).toBe(200)
    expect((await call('embeddings', `${urls.gateway}/v1/embeddings`, { method: 'POST', headers: asClient(clientKey), body: JSON.stringify({ model: 'mock-embedding', input: 'x' }) })).status).toBe(200)
    expect((await call('models', `${urls.gateway}/v1/models`, { headers: asClient(clientKey) })).status).toBe(200)

    // Provider refuses the router's key (401 echoing a masked key), provider 500s, provider 401 on Anthropic.
    expect((await chat('revoked provider key', { model: 'revoked-gpt', messages: [{ role: 'user', content: 'x' }] })).status).toBeGreaterThanOrEqual(400)
    openai.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })))
    expect((await chat('provider 500', { model: 'mock-gpt', messages: [{ role: 'user', content: 'x' }] })).status).toBeGreaterThanOrEqual(500)
    openai.reset()
    anthropic.enqueue({ kind: 'status', status: 401 })
    expect((await chat('provider 401', { model: 'mock-claude', messages: [{ role: 'user', content: 'x' }] })).status).toBeGreaterThanOrEqual(400)
    openai.enqueue({ kind: 'stream-error', afterChunks: 2 })
    await chat('stream broken mid-way', { model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'x' }] })

    // Bad credentials, presented every way a client might.
    expect((await chat('bogus client key', { model: 'mock-gpt', messages: [] }, BOGUS_CLIENT_KEY)).status).toBe(401)
    expect((await call('bogus x-api-key', `${urls.gateway}/v1/models`, { headers: { 'x-api-key': BOGUS_CLIENT_KEY } })).status).toBe(401)
    expect((await call('wrong admin token', `${urls.gateway}/v1/debug/config`, { headers: { authorization: `Bearer ${WRONG_ADMIN_TOKEN}` } })).status).toBe(401)
    expect((await call('internal token on admin route', `${urls.gateway}/v1/debug/bundle`, { headers: { authorization: `Bearer ${INTERNAL_TOKEN}` } })).status).toBe(401)
    expect((await call('wrong internal token', `${urls.gateway}/internal/db`, { headers: { 'x-internal-token': WRONG_ADMIN_TOKEN } })).status).toBe(401)
    expect((await call('router without token', `${urls.router}/internal/debug/config`, { headers: { 'x-internal-token': HEALTH_TOKEN } })).status).toBe(401)

    // The debug routes: every section present, every secret as its hash.
    const config = await call('debug config', `${urls.gateway}/v1/debug/config`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(config.status).toBe(200)
    const services = JSON.parse(config.body).services
    expect(services.gateway.config).toMatchObject({ ADMIN_TOKEN: { sha256: sha12(ADMIN_TOKEN) }, HEALTH_TOKEN: { sha256: sha12(HEALTH_TOKEN) }, DATABASE_URL: { credentials: { set: true } }, REDIS_URL: { credentials: { set: true } } })
    expect(services['proxy-router'].config.INTERNAL_TOKEN).toEqual({ set: true, sha256: sha12(INTERNAL_TOKEN) })
    expect(services['proxy-router'].routingTable.providers.map((p: { apiKey: { sha256: string } }) => p.apiKey.sha256))
      .toEqual([sha12(OPENAI_API_KEY), sha12(ANTHROPIC_API_KEY), sha12(OPENAI_API_KEY)])
    expect(services.health.config).toMatchObject({ HEALTH_TOKEN: { sha256: sha12(HEALTH_TOKEN) } })
    // Least privilege: the health service holds only its read-only token.
    expect(services.health.config).not.toHaveProperty('INTERNAL_TOKEN')

    await gateway.usage.flush()
    const bundle = await call('debug bundle', `${urls.gateway}/v1/debug/bundle`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-disposition')).toMatch(/^attachment; filename="switchyard-bundle-\d{8}T\d{6}Z\.json"$/)
    const parsed = JSON.parse(bundle.body)
    expect(parsed.health.checks).toBeDefined()
    expect(parsed.router.source).toMatch(/^\/internal\/(providers|deployments)$/)
    expect(parsed.failedRequests.requests.length).toBeGreaterThanOrEqual(3)

    await call('router debug config', `${urls.router}/internal/debug/config`, { headers: { 'x-internal-token': INTERNAL_TOKEN } })
    await call('health debug config', `${urls.health}/internal/debug/config`, { headers: { 'x-internal-token': HEALTH_TOKEN } })
    await call('health report', `${urls.health}/v1/health`)
    await call('status page', `${urls.health}/status`)
    for (const app of [gateway, router, health]) await call('metrics', app.metrics.url ?? '')
  })

  it('no log line, response or metric holds a secret, a piece of one or an encoding of one', async () => {
    await gateway.usage.flush()
    const everything: Captured[] = [
      ...captured,
      ...Object.entries(logs).flatMap(([service, capture]) => capture.lines.map((line) => ({ what: `${service} log`, text: line })))
    ]
    // Not vacuous: every service logged, and every kind of answer was captured.
    for (const capture of Object.values(logs)) expect(capture.lines.length).toBeGreaterThan(0)
    expect(logs.gateway.lines.length + logs.router.lines.length).toBeGreaterThan(20)
    expect(captured.filter((c) => c.what === 'metrics')).toHaveLength(3)
    const secrets = { OPENAI_API_KEY, ANTHROPIC_API_KEY, ADMIN_TOKEN, INTERNAL_TOKEN, HEALTH_TOKEN, WRONG_ADMIN_TOKEN, BOGUS_CLIENT_KEY, PG_PASSWORD, REDIS_PASSWORD, CLIENT_KEY: clientKey }
    const leaks: string[] = []
    for (const [name, secret] of Object.entries(secrets)) {
      for (const variant of variants(secret)) {
        for (const c of everything) if (c.text.includes(variant)) leaks.push(`${name} (as "${variant.slice(0, 6)}…") in ${c.what}`)
      }
    }
    expect(leaks).toEqual([])
  })
})
