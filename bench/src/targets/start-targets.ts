import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { productionNodeFlags } from '@switchyard/dev/production-node-flags'
import { createRedisPrefix, createTestDatabase } from '@switchyard/testing'
import postgres from 'postgres'
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
  /**
   * The headers of the quiet keys (TargetOptions.quietKeys), for the scenario whose requests take
   * turns among them; none unless the targets were started with some. DIRECT and FLOOR2 have no
   * keys: their one set of headers.
   */
  quietKeyHeaders: Array<Record<string, string>>
  processes: ServiceProcess[]
}

export interface Targets {
  mock: ServiceProcess
  all: Target[]
  stop: () => Promise<void>
}

/**
 * Puts the bench keys' user on a plan with every limit set (monthly quota, requests and tokens
 * per minute) far above what the load reaches, so each request pays for the request-rate check,
 * the token reservation and its settlement, as a metered production key does.
 */
async function meterKeys (databaseUrl: string, keyIds: string[]): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const [plan] = await sql<Array<{ id: string }>>`
      insert into plans (name, monthly_token_quota, requests_per_minute, tokens_per_minute)
      values ('bench', 1000000000000, 1000000000, 2000000000) returning id`
    const [user] = await sql<Array<{ id: string }>>`insert into users (name, plan_id) values ('bench', ${plan?.id ?? ''}) returning id`
    await sql`update api_keys set user_id = ${user?.id ?? ''} where id = any(${keyIds})`
  } finally {
    await sql.end({ timeout: 1 })
  }
}

async function createBenchKey (gatewayUrl: string, name = 'bench'): Promise<{ id: string, key: string }> {
  const res = await request(`${gatewayUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name })
  })
  const body = await res.body.json() as { id?: string, key?: string }
  if (res.statusCode !== 201 || body.key === undefined || body.id === undefined) throw new Error(`creating the bench key failed: HTTP ${res.statusCode}`)
  return { id: body.id, key: body.key }
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
  /** Keys to create besides the busy one, for the quiet-keys scenario (default none). */
  quietKeys?: number
  /**
   * When set, every server splits the requests it serves into segments (system/segment-probe.ts)
   * and writes their medians to `<dir>/<name>.json` on SIGWINCH.
   */
  segmentsDir?: string
  /**
   * Another checkout whose built gateway and proxy-router SWITCHYARD runs instead of this one's
   * (`pnpm bench --services <dir>`), to measure a baseline with the same harness; DIRECT, FLOOR2
   * and the mock stay this checkout's.
   */
  servicesRoot?: string
  /**
   * Start the mock with MOCK_PROVIDER_DIRECTIVES=true: each request's `metadata` sets its delay,
   * stream pace and reply length, and GET /__mock/stats reports connections (the replay).
   */
  mockDirectives?: boolean
}

const probe = fileURLToPath(new URL('../system/loop-delay-probe.ts', import.meta.url))
const segmentProbe = fileURLToPath(new URL('../system/segment-probe.ts', import.meta.url))

export async function startTargets ({ prefix, loopDelayDir, quietKeys = 0, segmentsDir, servicesRoot = root, mockDirectives = false }: TargetOptions): Promise<Targets> {
  const probeFor = (name: string): { env: Record<string, string>, nodeArgs: string[] } => {
    const env: Record<string, string> = {}
    const nodeArgs: string[] = []
    if (loopDelayDir !== undefined) {
      env['BENCH_LOOP_DELAY_FILE'] = join(loopDelayDir, `${name}.jsonl`)
      nodeArgs.push('--import', probe)
    }
    if (segmentsDir !== undefined) {
      env['BENCH_SEGMENTS_FILE'] = join(segmentsDir, `${name}.json`)
      nodeArgs.push('--import', segmentProbe)
    }
    return { env, nodeArgs }
  }
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
    /** `flags`: Node flags before the probe's (the services get their production ones). */
    const start = async (name: string, script: string, env: Record<string, string>, readyPath: string, from = root, flags: string[] = []) => {
      const port = await freePort()
      const { env: probeEnv, nodeArgs } = probeFor(name)
      const p = await startServiceProcess({ name, script: join(from, script), env: { ...env, ...probeEnv, PORT: String(port), LOG_LEVEL: 'warn' }, port, readyPath, prefix, nodeArgs: [...flags, ...nodeArgs] })
      started.push(p)
      return p
    }
    const mockPort = await freePort()
    const mock = await startServiceProcess({
      name: 'mock',
      script: join(root, 'packages/mock-provider/dist/server.js'),
      env: { MOCK_PROVIDER_HOST: '127.0.0.1', MOCK_PROVIDER_PORT: String(mockPort), MOCK_PROVIDER_CHUNK_DELAY_MS: '0', MOCK_PROVIDER_DIRECTIVES: String(mockDirectives), LOG_LEVEL: 'warn', ...probeFor('mock').env },
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
    // As their containers run them: FLOOR2 and the mock keep Node's defaults.
    const serviceFlags = productionNodeFlags(servicesRoot)
    console.log(`gateway and proxy-router run with the image's Node flags: ${serviceFlags.length === 0 ? 'none' : serviceFlags.join(' ')}`)
    const router = await start('proxy-router', 'apps/proxy-router/dist/server.js', { HOST: '127.0.0.1', INTERNAL_TOKEN, ROUTES_FILE: routesFile }, '/readyz', servicesRoot, serviceFlags)
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
    }, '/readyz', servicesRoot, serviceFlags)
    const { id: keyId, key } = await createBenchKey(gateway.url)
    const quiet: Array<{ id: string, key: string }> = []
    for (let i = 0; i < quietKeys; i++) quiet.push(await createBenchKey(gateway.url, `bench-quiet-${i}`))
    await meterKeys(database.url, [keyId, ...quiet.map((k) => k.id)])

    return {
      mock,
      all: [
        { name: 'DIRECT', url: `${mockBase}/chat/completions`, headers: {}, quietKeyHeaders: [{}], processes: [] },
        { name: 'FLOOR2', url: `${hop1.url}/v1/chat/completions`, headers: {}, quietKeyHeaders: [{}], processes: [hop1, hop2] },
        {
          name: 'SWITCHYARD',
          url: `${gateway.url}/v1/chat/completions`,
          headers: { authorization: `Bearer ${key}` },
          quietKeyHeaders: quiet.map((k) => ({ authorization: `Bearer ${k.key}` })),
          processes: [gateway, router]
        }
      ],
      stop
    }
  } catch (err) {
    await stop()
    throw err
  }
}
