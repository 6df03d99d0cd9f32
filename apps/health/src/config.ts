import { Type, type Static } from '@sinclair/typebox'
import { DatabaseEnv, HealthAuthEnv, HttpEnv, LogEnv, MetricsEnv, RedisEnv, loadConfig, type Env } from '@switchyard/config'

/**
 * The health service's environment. It owns no database or Redis of its own: the URLs name what
 * to probe. HEALTH_PROBE_TIMEOUT_MS bounds every probe AND therefore the whole /v1/health answer
 * (probes run in parallel), so a load balancer check never waits on a dead dependency for longer.
 */
export const HealthEnvSchema = Type.Object({
  ...HttpEnv(8082),
  ...LogEnv,
  ...MetricsEnv,
  /** Probe this Postgres directly. Unset = the gateway's embedded PGlite, probed via GATEWAY_URL. */
  DATABASE_URL: DatabaseEnv.DATABASE_URL,
  /** Probe this Redis. Unset = no Redis check (the gateway then keeps limits in memory). */
  ...RedisEnv,
  GATEWAY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8080' }),
  ROUTER_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
  /** One attempt per probe, at most this long (connect included). */
  HEALTH_PROBE_TIMEOUT_MS: Type.Integer({ minimum: 50, default: 1000 }),
  /** How often the status page (GET /status) refreshes itself; each refresh is one probe round. */
  STATUS_REFRESH_MS: Type.Integer({ minimum: 500, default: 5000 }),
  /** Probe rounds the status page's timeline keeps (in memory). */
  STATUS_HISTORY_ROUNDS: Type.Integer({ minimum: 1, maximum: 10_000, default: 60 }),
  /**
   * The health service's read-only secret (docs/adr/0025), sent as x-internal-token: the router's
   * GET /internal/providers, and the gateway's /internal/db when DATABASE_URL is unset. It opens
   * nothing that calls a provider; the health service never holds INTERNAL_TOKEN. Also required by
   * this service's own /internal/debug/config (unset = that route refuses every call). No default.
   */
  ...HealthAuthEnv
})

export type HealthEnv = Static<typeof HealthEnvSchema>
export type HealthConfig = Readonly<HealthEnv>

/**
 * Validates the environment once (defaults applied, types coerced, frozen). Throws ConfigError
 * naming the offending variable. Only server.ts/dev.ts (via start.ts) pass `process.env`.
 */
export function loadHealthConfig (env: Env): HealthConfig {
  return loadConfig(HealthEnvSchema, env)
}
