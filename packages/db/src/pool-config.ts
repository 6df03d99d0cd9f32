import type { Static, TObject } from '@sinclair/typebox'
import type { DatabaseEnv } from '@switchyard/config'

/**
 * Postgres connection-pool settings, set explicitly instead of trusting driver defaults: an
 * unsized pool and unbounded waits are how "rapid sequential requests fail" incidents start.
 * All durations are whole seconds because postgres.js takes seconds. 0 disables a timeout.
 */
export interface PoolConfig {
  /** Connections this process may open at most. */
  max: number
  /** Give up opening a connection (TCP + startup + auth) after this many seconds. */
  connectTimeoutS: number
  /** Close a connection after it has sat unused this long. */
  idleTimeoutS: number
  /** Close (once idle) any connection older than this, however busy it has been. */
  maxLifetimeS: number
  /** Server-side statement_timeout: a query running longer is cancelled (SQLSTATE 57014). */
  statementTimeoutS: number
  /**
   * Client-side deadline per query, in milliseconds (0 = none): covers a server or network path
   * that stops answering on an open connection, which statement_timeout cannot. On expiry the
   * query fails with DbQueryTimeoutError and its connection is not used again.
   */
  queryTimeoutMs: number
}

export const DEFAULT_POOL_CONFIG: Readonly<PoolConfig> = Object.freeze({
  // Every task/process opens up to `max`, so (ECS tasks × services × max) + migration task +
  // admin sessions must stay below the server's max_connections (RDS: ~100 on small instances,
  // with a few reserved for superusers). 10 per process leaves room for several tasks per service.
  max: 10,
  // A reachable database accepts a connection in milliseconds; 5 s turns a dead or unroutable
  // host into a fast DATABASE_UNAVAILABLE instead of a request hanging for the driver's 30 s.
  connectTimeoutS: 5,
  // Below every idle cut-off on the path (NAT gateway 350 s, RDS Proxy and load balancers often
  // less), so we close sockets before a middlebox silently drops them and the next query stalls.
  idleTimeoutS: 30,
  // Recycling connections every 30 min means that after a failover or DNS change (RDS endpoint
  // moving to the new primary) every process has moved over within the lifetime, not never.
  maxLifetimeS: 1800,
  // The gateway's queries are single-row lookups and inserts (milliseconds). A lock wait or a
  // degraded server must turn into DATABASE_UNAVAILABLE, not a request that hangs for minutes.
  statementTimeoutS: 10,
  // Request-path queries are single-row lookups and inserts (milliseconds). 5 s answers a client
  // with 503 DATABASE_UNAVAILABLE long before its own timeout when Postgres goes silent.
  queryTimeoutMs: 5000
})

/** The pool fields of the shared `DatabaseEnv` fragment, as `loadConfig` returns them. */
export type DatabasePoolEnv = Pick<
  Static<TObject<typeof DatabaseEnv>>,
  'DB_POOL_MAX' | 'DB_CONNECT_TIMEOUT_S' | 'DB_IDLE_TIMEOUT_S' | 'DB_MAX_LIFETIME_S' | 'DB_STATEMENT_TIMEOUT_S' | 'DB_QUERY_TIMEOUT_MS'
>

/** Maps DB_POOL_MAX, DB_CONNECT_TIMEOUT_S, DB_IDLE_TIMEOUT_S, DB_MAX_LIFETIME_S, DB_STATEMENT_TIMEOUT_S, DB_QUERY_TIMEOUT_MS to a PoolConfig. */
export function poolConfigFromEnv (cfg: DatabasePoolEnv): PoolConfig {
  return {
    max: cfg.DB_POOL_MAX,
    connectTimeoutS: cfg.DB_CONNECT_TIMEOUT_S,
    idleTimeoutS: cfg.DB_IDLE_TIMEOUT_S,
    maxLifetimeS: cfg.DB_MAX_LIFETIME_S,
    statementTimeoutS: cfg.DB_STATEMENT_TIMEOUT_S,
    queryTimeoutMs: cfg.DB_QUERY_TIMEOUT_MS
  }
}
