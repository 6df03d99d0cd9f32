import { Type, type Static } from '@sinclair/typebox'
import { DatabaseEnv, HttpEnv, InternalAuthEnv, LogEnv, RedisEnv, loadConfig, type Env } from '@switchyard/config'

export const GatewayEnvSchema = Type.Object({
  ...HttpEnv(8080),
  ...LogEnv,
  ...DatabaseEnv,
  ...RedisEnv,
  ...InternalAuthEnv,
  /** Bearer token for the admin API (keys). Unset = admin API disabled. No default, ever. */
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
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
   * Time to the router's first byte. Must exceed the router's whole budget for one request
   * (provider headers timeout, 180 s by default, plus future retries), so the router always
   * answers with a specific error before the gateway gives up.
   */
  ROUTER_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 300_000 }),
  /** Max silence between body chunks from the router; above the router's provider idle timeout. */
  ROUTER_BODY_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 200_000 }),
  ROUTER_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000 }),
  ROUTER_MAX_CONNECTIONS: Type.Integer({ minimum: 1, default: 256 }),
  /** Requests per key per window (@fastify/rate-limit). */
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  /** When Redis is unreachable: true = serve without the limit (fail open), false = 503. See docs/adr. */
  RATE_LIMIT_FAIL_OPEN: Type.Boolean({ default: true }),
  REDIS_KEY_PREFIX: Type.String({ default: 'switchyard:' }),
  /** How long a resolved API key is trusted before the database is asked again (revocation lag across instances). */
  KEY_CACHE_TTL_MS: Type.Integer({ minimum: 0, default: 30_000 }),
  KEY_CACHE_MAX: Type.Integer({ minimum: 1, default: 10_000 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
  /** Usage events per multi-row insert (docs/adr/0018). */
  USAGE_BATCH_MAX_ROWS: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  /** Longest an event waits in memory before its batch is written (when the database is up). */
  USAGE_FLUSH_INTERVAL_MS: Type.Integer({ minimum: 1, default: 100 }),
  /** Events kept while the database is unreachable; beyond this new events are dropped, counted and logged. */
  USAGE_BUFFER_MAX_EVENTS: Type.Integer({ minimum: 1, default: 100_000 }),
  /** A usage insert slower than this is abandoned and retried (inserts are idempotent on request id). */
  USAGE_WRITE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 })
})

export type GatewayEnv = Static<typeof GatewayEnvSchema>
export type GatewayConfig = GatewayEnv & { version: string }

export function loadGatewayConfig (env: Env, version: string): GatewayConfig {
  return Object.freeze({ ...loadConfig(GatewayEnvSchema, env), version })
}
