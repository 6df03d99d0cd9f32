import type { Dispatcher } from 'undici'
import type { HealthConfig } from '../config.js'
import { probeEmbeddedDatabase } from './embedded-database.js'
import { probeReady } from './http-ready.js'
import { probePostgres } from './postgres.js'
import { probeRedis } from './redis.js'
import type { Check } from './types.js'

export { runChecks, type CheckReport } from './run-checks.js'
export type { Check, DatabaseKind, ProbeResult } from './types.js'

/**
 * The checks this deployment needs, decided once from config:
 * - `database`: Postgres directly when DATABASE_URL is set, else the gateway's embedded PGlite;
 * - `redis`: only when REDIS_URL is set (otherwise nothing uses Redis);
 * - `gateway`, `proxy-router`: their `/readyz`.
 */
export function planChecks (config: HealthConfig, dispatcher: Dispatcher): Check[] {
  const ms = config.HEALTH_PROBE_TIMEOUT_MS
  const databaseUrl = config.DATABASE_URL
  const redisUrl = config.REDIS_URL
  const checks: Check[] = [
    databaseUrl !== undefined
      ? { name: 'database', run: async () => await probePostgres(databaseUrl, ms) }
      : {
          name: 'database',
          run: async () => await probeEmbeddedDatabase({ gatewayUrl: config.GATEWAY_URL, healthToken: config.HEALTH_TOKEN }, dispatcher, ms)
        }
  ]
  if (redisUrl !== undefined) checks.push({ name: 'redis', run: async () => await probeRedis(redisUrl, ms) })
  checks.push(
    { name: 'gateway', run: async () => await probeReady('gateway', config.GATEWAY_URL, dispatcher, ms) },
    { name: 'proxy-router', run: async () => await probeReady('proxy-router', config.ROUTER_URL, dispatcher, ms) }
  )
  return checks
}
