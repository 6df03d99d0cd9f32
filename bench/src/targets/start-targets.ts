import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRedisPrefix, createTestDatabase } from '@switchyard/testing'
import { request } from 'undici'
import { freePort, startServiceProcess, type ServiceProcess } from '../system/service-process.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const ADMIN_TOKEN = 'bench-admin-token-0123456789'
const INTERNAL_TOKEN = 'bench-internal-token-0123456789'

/** One way to reach the mock provider; `processes` are the servers whose CPU it costs. */
export interface Target {
  name: 'DIRECT' | 'FLOOR2' | 'SWITCHYARD'
  url: string
  headers: Record<string, string>
  processes: ServiceProcess[]
}

export interface Targets {
  mock: ServiceProcess
  all: Target[]
  stop: () => Promise<void>
}

async function createBenchKey (gatewayUrl: string): Promise<string> {
  const res = await request(`${gatewayUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' })
  })
  const body = await res.body.json() as { key?: string }
  if (res.statusCode !== 201 || body.key === undefined) throw new Error(`creating the bench key failed: HTTP ${res.statusCode}`)
  return body.key
}

/**
 * Starts every server as its own process, as production runs them: the mock provider (zero
 * delay), FLOOR2's two hops, and Switchyard's proxy-router and gateway on this machine's Postgres
 * (a database of its own) and Redis (a key prefix of its own), with auth, throttling and usage
 * accounting on and limits far above what the load reaches.
 */
export interface TargetOptions {
  /** Command prefix for every server (CPU pinning). */
  prefix: string[]
  /** When set, every server samples its event-loop delay into `<dir>/<name>.jsonl`. */
  loopDelayDir?: string
}

const probe = fileURLToPath(new URL('../system/loop-delay-probe.ts', import.meta.url))

export async function startTargets ({ prefix, loopDelayDir }: TargetOptions): Promise<Targets> {
  const probeFor = (name: string): { env: Record<string, string>, nodeArgs: string[] } => loopDelayDir === undefined
    ? { env: {}, nodeArgs: [] }
    : { env: { BENCH_LOOP_DELAY_FILE: join(loopDelayDir, `${name}.jsonl`) }, nodeArgs: ['--import', probe] }
  const started: ServiceProcess[] = []
  const database = await createTestDatabase('bench')
  const redis = createRedisPrefix('bench')
  const routesDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'))
  const stop = async () => {
    for (const p of started.reverse()) await p.stop()
    await database.drop()
    await redis.cleanup()
    rmSync(routesDir, { recursive: true, force: true })
  }
  try {
    const start = async (name: string, script: string, env: Record<string, string>, readyPath: string) => {
      const port = await freePort()
      const { env: probeEnv, nodeArgs } = probeFor(name)
      const p = await startServiceProcess({ name, script: join(root, script), env: { ...env, ...probeEnv, PORT: String(port), LOG_LEVEL: 'warn' }, port, readyPath, prefix, nodeArgs })
      started.push(p)
      return p
    }
    const mockPort = await freePort()
    const mock = await startServiceProcess({
      name: 'mock',
      script: join(root, 'packages/mock-provider/dist/server.js'),
      env: { MOCK_PROVIDER_HOST: '127.0.0.1', MOCK_PROVIDER_PORT: String(mockPort), MOCK_PROVIDER_CHUNK_DELAY_MS: '0', LOG_LEVEL: 'warn', ...probeFor('mock').env },
      port: mockPort,
      readyPath: '/v1/models',
      prefix,
      nodeArgs: probeFor('mock').nodeArgs
    })
    started.push(mock)
    const mockBase = `${mock.url}/v1`

    const hop2 = await start('floor-hop-2', 'bench/src/targets/floor-hop.ts', { HOP_TARGET: mockBase }, '/')
    const hop1 = await start('floor-hop-1', 'bench/src/targets/floor-hop.ts', { HOP_TARGET: `${hop2.url}/v1` }, '/')

    const routesFile = join(routesDir, 'routes.json')
    writeFileSync(routesFile, JSON.stringify({
      providers: { mock: { type: 'openai', baseUrl: mockBase } },
      models: { 'mock-gpt': [{ provider: 'mock', model: 'mock-gpt' }] }
    }))
    const router = await start('proxy-router', 'apps/proxy-router/dist/server.js', { HOST: '127.0.0.1', INTERNAL_TOKEN, ROUTES_FILE: routesFile }, '/readyz')
    const gateway = await start('gateway', 'apps/gateway/dist/server.js', {
      HOST: '127.0.0.1',
      INTERNAL_TOKEN,
      ADMIN_TOKEN,
      ROUTER_URL: router.url,
      DATABASE_URL: database.url,
      DB_MIGRATE_ON_START: 'true',
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      RATE_LIMIT_MAX: '1000000000'
    }, '/readyz')
    const key = await createBenchKey(gateway.url)

    return {
      mock,
      all: [
        { name: 'DIRECT', url: `${mockBase}/chat/completions`, headers: {}, processes: [] },
        { name: 'FLOOR2', url: `${hop1.url}/v1/chat/completions`, headers: {}, processes: [hop1, hop2] },
        { name: 'SWITCHYARD', url: `${gateway.url}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, processes: [gateway, router] }
      ],
      stop
    }
  } catch (err) {
    await stop()
    throw err
  }
}
