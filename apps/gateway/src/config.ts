import { Type, type Static } from '@sinclair/typebox'
import { checkTimeoutBudget, ConfigError, DatabaseEnv, gatewayTimeoutRules, HealthAuthEnv, HttpEnv, InternalAuthEnv, LogEnv, MetricsEnv, RedisEnv, loadConfig, notSecret, secret, timeoutDefaults, type Env } from '@switchyard/config'

export const GatewayEnvSchema = Type.Object({
  ...HttpEnv(8080),
  ...LogEnv,
  ...MetricsEnv,
  ...DatabaseEnv,
  ...RedisEnv,
  ...InternalAuthEnv,
  // HEALTH_TOKEN: admitted on /internal/db, and presented to health's /internal/debug/config
  // (GET /v1/debug/config, /v1/debug/bundle; unset = health's section says so).
  ...HealthAuthEnv,
  /** Bearer token for the admin API (keys). Unset = admin API disabled. No default, ever. */
  ADMIN_TOKEN: Type.Optional(secret(Type.String({ minLength: 16 }))),
  /** Origin of the health service, read by GET /v1/debug/config and /v1/debug/bundle. */
  HEALTH_URL: Type.String({ pattern: '^https?://[^/?#]+/?$', default: 'http://127.0.0.1:8082' }),
  /**
   * Without DATABASE_URL the gateway refuses to start unless this is true: a forgotten or
   * misspelt DATABASE_URL in production must not silently give every task its own throwaway
   * embedded database. `pnpm dev` sets it.
   */
  EMBEDDED_DATABASE: Type.Boolean({ default: false }),
  /** Apply pending migrations at boot (dev convenience). Production runs `pnpm db:migrate` as a one-off task first. */
  DB_MIGRATE_ON_START: Type.Boolean({ default: false }),
  /** Origin only (scheme://host:port): the router's routes live at its root. */
  ROUTER_URL: Type.String({ pattern: '^https?://[^/?#]+/?$', default: 'http://127.0.0.1:8081' }),
  /**
   * Time to the router's first byte. Must exceed the router's whole attempt phase
   * (ROUTER_TOTAL_TIMEOUT_MS below, checked at boot), so the router always answers with a
   * specific error before the gateway gives up (docs/adr/0008).
   */
  ROUTER_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: timeoutDefaults.gatewayRouterHeadersTimeoutMs }),
  /**
   * The router's ROUTER_TOTAL_TIMEOUT_MS: must equal the router's setting. The gateway cannot ask
   * the router, so it is told, and checks ROUTER_HEADERS_TIMEOUT_MS against it at boot.
   */
  ROUTER_TOTAL_TIMEOUT_MS: Type.Integer({ minimum: 1, default: timeoutDefaults.routerTotalTimeoutMs }),
  /** Max silence between body chunks from the router; above the router's provider idle timeout. */
  ROUTER_BODY_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 200_000 }),
  ROUTER_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000 }),
  /**
   * Connections to the router at once = requests in flight at once (a stream holds one for its
   * whole length; more wait in the pool's queue). Sized for 2,000 concurrent streams with room
   * (docs/capacity.md); each costs two file descriptors here (client in, router out).
   */
  ROUTER_MAX_CONNECTIONS: Type.Integer({ minimum: 1, default: 4096 }),
  /**
   * Requests per key per window (@fastify/rate-limit) for keys whose plan, user and key set no
   * requests-per-minute limit; a limit from the plan (or an override) is per minute and wins.
   */
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  /**
   * When Redis is unreachable: true = count requests per process instead (fail open), false = 503
   * RATE_LIMIT_STORE_UNAVAILABLE. See docs/adr/0005 and 0019.
   */
  RATE_LIMIT_FAIL_OPEN: Type.Boolean({ default: true }),
  /**
   * Token quotas when Redis is unreachable: open = enforce the monthly quota from Postgres totals
   * (cached briefly; tokens per minute unchecked), closed = 503 RATE_LIMIT_STORE_UNAVAILABLE. docs/adr/0019.
   */
  QUOTA_FAIL_MODE: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
  /** Every Redis command fails after this long instead of waiting (ioredis commandTimeout and connectTimeout). */
  REDIS_COMMAND_TIMEOUT_MS: Type.Integer({ minimum: 10, maximum: 10_000, default: 500 }),
  /**
   * Reserved (and sent upstream as max_completion_tokens) when a request under a token limit
   * names no max_tokens, so the reservation bounds the answer. Lowered to fit the key's smallest bucket.
   */
  DEFAULT_MAX_TOKENS_CAP: notSecret(Type.Integer({ minimum: 1, default: 4096 })),
  /**
   * Longest life of an admission lease (docs/adr/0030): a key busy on one replica takes a small
   * block of requests and tokens from Redis at once and admits from it locally, returning what is
   * left when it ends. 0 = every metered request asks Redis.
   */
  ADMISSION_LEASE_MS: notSecret(Type.Integer({ minimum: 0, maximum: 10_000, default: 500 })),
  /** How often each replica reads auth_revision to notice revocations and plan changes made anywhere. */
  AUTH_REVISION_POLL_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 1000 }),
  /** Failed authentications per client IP per minute before 429 TOO_MANY_AUTH_FAILURES (per process). */
  AUTH_FAILURE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 30 }),
  /**
   * Which proxies in front of the gateway are trusted to set X-Forwarded-For: unset/false = none
   * (the socket address is the client), a hop count (e.g. 1 behind one ALB), or a comma-separated
   * list of IPs/CIDRs. "true" (trust any hop) is refused: any client could then pick its own IP.
   */
  TRUST_PROXY: Type.String({ pattern: '^(false|[0-9]+|[0-9A-Fa-f:.,/ ]+)$', default: 'false' }),
  /** No braces: every key carries a `{u:<userId>}` hash tag, and Redis Cluster hashes the first pair it finds. */
  REDIS_KEY_PREFIX: notSecret(Type.String({ pattern: '^[^{}]*$', default: 'switchyard:' })),
  /**
   * Longest time a resolved API key is trusted without asking the database. Revocations and plan
   * changes normally arrive sooner, through the auth_revision poll; this is the backstop.
   */
  KEY_CACHE_TTL_MS: notSecret(Type.Integer({ minimum: 0, default: 30_000 })),
  KEY_CACHE_MAX: notSecret(Type.Integer({ minimum: 1, default: 10_000 })),
  /** Unknown keys are remembered in their own, smaller cache, so random keys never evict valid ones. */
  NEGATIVE_KEY_CACHE_MAX: notSecret(Type.Integer({ minimum: 1, default: 1000 })),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
  /** Usage events per multi-row insert (docs/adr/0018). */
  USAGE_BATCH_MAX_ROWS: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  /** Longest an event waits in memory before its batch is written (when the database is up). */
  USAGE_FLUSH_INTERVAL_MS: Type.Integer({ minimum: 1, default: 100 }),
  /** Events kept while the database is unreachable; beyond this new events are dropped, counted and logged. */
  USAGE_BUFFER_MAX_EVENTS: Type.Integer({ minimum: 1, default: 100_000 }),
  /** A usage insert slower than this is abandoned and retried (inserts are idempotent on request id). */
  USAGE_WRITE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  /**
   * Days a request's trace (its attempts, GET /v1/requests/{id}) is kept; then it is set to NULL.
   * The usage row itself stays: quotas and reports are summed from it (docs/adr/0026).
   */
  TRACE_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 7 }),
  /** How often each replica tries to prune old traces (one replica at a time does, by advisory lock). */
  TRACE_PRUNE_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 600_000 })
})

export type GatewayEnv = Static<typeof GatewayEnvSchema>
export type GatewayConfig = GatewayEnv & { version: string }

/** Validates the environment and the gateway's part of the timeout budget; throws ConfigError naming what is wrong. */
export function loadGatewayConfig (env: Env, version: string): GatewayConfig {
  const parsed = loadConfig(GatewayEnvSchema, env)
  if (parsed.HEALTH_TOKEN !== undefined && parsed.HEALTH_TOKEN === parsed.INTERNAL_TOKEN) {
    throw new ConfigError('Invalid configuration: HEALTH_TOKEN must differ from INTERNAL_TOKEN (it opens only read-only routes)')
  }
  checkTimeoutBudget(gatewayTimeoutRules({
    routerHeadersTimeoutMs: parsed.ROUTER_HEADERS_TIMEOUT_MS,
    routerTotalTimeoutMs: parsed.ROUTER_TOTAL_TIMEOUT_MS,
    keepAliveTimeoutMs: parsed.KEEP_ALIVE_TIMEOUT_MS
  }))
  return Object.freeze({ ...parsed, version })
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`: false, "trust the nearest N hops" (what Fastify does for
 * a number), or the list of trusted proxy addresses/CIDRs.
 */
export function trustProxyOption (value: string): false | string[] | ((address: string, hop: number) => boolean) {
  const v = value.trim()
  if (v === 'false' || v === '') return false
  if (/^[0-9]+$/.test(v)) {
    const hops = Number(v)
    return hops === 0 ? false : (_address, hop) => hop < hops
  }
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '')
}
