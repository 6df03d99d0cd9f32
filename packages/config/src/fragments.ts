import { Type } from '@sinclair/typebox'
import { secret, secretUrl } from './secrets.js'

// Reusable env fragments. Each service composes its own schema from these in src/config.ts.
// Durations are milliseconds unless the name says otherwise. Secrets are marked (secrets.ts) so
// debug output can mask them.

export const LogEnv = {
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' }
  )
}

export const HttpEnv = (defaultPort: number) => ({
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort }),
  /**
   * Must exceed the load balancer's idle timeout so the ALB never reuses a socket the server
   * just closed (which surfaces as a 502). The ALB idle timeout itself must exceed the longest
   * silence a client can see: a non-streaming completion sends nothing until done (up to the
   * router's PROVIDER_HEADERS_TIMEOUT_MS, 180 s). So: ALB idle timeout 240 s, this 245 s.
   */
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 245_000 }),
  /**
   * Longest time to RECEIVE a request (headers + body) from a client; guards against clients
   * that trickle a body forever. Does not limit the response: completions may take minutes.
   * Node checks it every 30 s, so the effective cut is between this and this + 30 s.
   */
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  /**
   * How long a SIGTERM waits for in-flight requests (streams included) before forcing exit 1.
   * ECS allows at most 120 s (stopTimeout); set the task's stopTimeout to at least this.
   */
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 110_000 })
})

export const DatabaseEnv = {
  /** postgres://… When unset, the embedded PGlite database under DATA_DIR is used. */
  DATABASE_URL: Type.Optional(secretUrl(Type.String({ pattern: '^postgres(ql)?://' }))),
  DB_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  DB_CONNECT_TIMEOUT_S: Type.Integer({ minimum: 1, default: 5 }),
  DB_IDLE_TIMEOUT_S: Type.Integer({ minimum: 0, default: 30 }),
  DB_MAX_LIFETIME_S: Type.Integer({ minimum: 0, default: 1800 }),
  DB_STATEMENT_TIMEOUT_S: Type.Integer({ minimum: 0, default: 10 }),
  /** Client-side deadline per query (ms, 0 = none): a Postgres that goes silent on an open connection → 503, connection dropped. */
  DB_QUERY_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 5000 }),
  DATA_DIR: Type.String({ default: '.data' })
}

export const RedisEnv = {
  /** redis://… When unset, throttling state is kept in process memory (single instance only). */
  REDIS_URL: Type.Optional(secretUrl(Type.String({ pattern: '^rediss?://' })))
}

export const InternalAuthEnv = {
  /** Shared secret gateway → proxy-router (and health → gateway internals). No default, ever. */
  INTERNAL_TOKEN: secret(Type.String({ minLength: 16 }))
}

export const HealthAuthEnv = {
  /**
   * Least-privilege secret of the health service: admitted only on read-only internal routes
   * (the router's /internal/providers and /internal/deployments, the gateway's /internal/db),
   * never on /v1. Unset = those routes take INTERNAL_TOKEN only. No default, ever.
   */
  HEALTH_TOKEN: Type.Optional(secret(Type.String({ minLength: 16 })))
}

export const MetricsEnv = {
  /**
   * Port of `GET /metrics` (Prometheus), apart from the service port so the public load balancer
   * never forwards it. Unset = no metrics server.
   */
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 }))
}
