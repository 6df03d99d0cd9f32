import { Type } from '@sinclair/typebox'

// Reusable env fragments. Each service composes its own schema from these in src/config.ts.
// Durations are milliseconds unless the name says otherwise.

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
   * Must exceed the load balancer's idle timeout (ALB default 60 s) so the ALB never reuses a
   * socket the server just closed (which surfaces as a 502).
   */
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 65_000 }),
  /** How long a SIGTERM waits for in-flight requests (streams included) before forcing exit. */
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 30_000 })
})

export const DatabaseEnv = {
  /** postgres://… When unset, the embedded PGlite database under DATA_DIR is used. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DB_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  DB_CONNECT_TIMEOUT_S: Type.Integer({ minimum: 1, default: 5 }),
  DB_IDLE_TIMEOUT_S: Type.Integer({ minimum: 0, default: 30 }),
  DB_MAX_LIFETIME_S: Type.Integer({ minimum: 0, default: 1800 }),
  DATA_DIR: Type.String({ default: '.data' })
}

export const RedisEnv = {
  /** redis://… When unset, throttling state is kept in process memory (single instance only). */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' }))
}

export const InternalAuthEnv = {
  /** Shared secret gateway → proxy-router (and health → gateway internals). No default, ever. */
  INTERNAL_TOKEN: Type.String({ minLength: 16 })
}
