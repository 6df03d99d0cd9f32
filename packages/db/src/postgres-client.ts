import { drizzle } from 'drizzle-orm/postgres-js'
import { sql } from 'drizzle-orm'
import postgres, { type Sql } from 'postgres'
import type { DbHandle } from './database.js'
import { setMigrationTarget } from './migration-target.js'
import { once } from './once.js'
import type { PoolConfig } from './pool-config.js'
import { deadlineClient } from './query-deadline.js'
import * as schema from './schema/index.js'

/** Seconds postgres.js waits for in-flight queries on close() before cancelling them. */
const CLOSE_TIMEOUT_S = 5

/**
 * A postgres.js pool with every sizing/timeout knob set explicitly (see pool-config.ts), wrapped
 * in drizzle. postgres.js connects lazily, so this does not touch the network: `ping()` does.
 *
 * Every query has a client-side deadline (`queryTimeoutMs`, see query-deadline.ts and
 * docs/adr/0009): statement_timeout only works while the server is alive, and postgres.js has
 * no per-query timeout of its own, nor a way to close the one connection a query runs on. So
 * when a query that reached a connection misses its deadline, the whole pool is retired: new
 * queries go to a fresh pool at once; the retired one lets healthy in-flight queries finish for
 * a short grace and then destroys whatever is still busy (the stuck connection).
 * @see https://github.com/porsager/postgres#connection-details
 */
export function openPostgres (url: string, pool: PoolConfig): DbHandle {
  let closing = false
  const open = (): Sql => {
    const client: Sql = postgres(url, {
      max: pool.max,
      connect_timeout: pool.connectTimeoutS,
      idle_timeout: pool.idleTimeoutS,
      max_lifetime: pool.maxLifetimeS,
      // Sent as a startup parameter, so it holds on every connection of the pool (0 = no limit).
      connection: { statement_timeout: pool.statementTimeoutS * 1000 },
      // Server NOTICEs (e.g. "relation already exists, skipping") are not errors; the default
      // handler prints them to stdout, which breaks structured logs.
      onnotice: () => {},
      // Named prepared statements: fewer round trips on hot queries. Turn off only behind a
      // transaction-mode pooler (PgBouncer), which is not part of this deployment.
      prepare: true,
      // No array-type lookup on every new connection: drizzle parses array columns itself, and
      // postgres.js leaves that lookup's rejection unhandled when the connection dies during it
      // (a stall right after connecting), which would take the whole process down.
      fetch_types: false,
      onclose: () => { if (closing) endReopened(client) }
    })
    return client
  }

  const first = open()
  let current = first
  const retiring = new Set<Promise<void>>()
  const graceS = Math.max(1, Math.ceil(pool.queryTimeoutMs / 1000))
  const retire = (stalled: Sql): void => {
    if (stalled !== current || closing) return
    current = open()
    // drizzle set its type parsers on the first pool's options; every later pool needs them too.
    Object.assign(current.options.parsers, first.options.parsers)
    Object.assign(current.options.serializers, first.options.serializers)
    const ended = stalled.end({ timeout: graceS }).catch(() => {})
    retiring.add(ended)
    void ended.finally(() => retiring.delete(ended))
  }
  const client = pool.queryTimeoutMs > 0 ? deadlineClient(() => current, pool.queryTimeoutMs, retire) : first

  const db = drizzle({ client, schema })
  const handle: DbHandle = {
    db,
    kind: 'postgres',
    ping: async () => { await db.execute(sql`select 1`) },
    close: once(async () => {
      closing = true
      await Promise.all([current.end({ timeout: CLOSE_TIMEOUT_S }), ...retiring])
    })
  }
  setMigrationTarget(handle, { kind: 'postgres', url, connectTimeoutS: pool.connectTimeoutS })
  return handle
}

/**
 * postgres.js 3.4.9 quirk: a query still waiting in the pool's queue when `end()` starts (more
 * concurrent queries than connections while the pool is still connecting) is run after `end()`
 * resolved, on a connection the pool re-opens from its close callback, and that connection then
 * stays open until idle_timeout (never, with 0). Right after such a re-open (the pool does it
 * synchronously after calling `onclose`), ask every connection to end once its query is done.
 * `close()` exists on the pool at runtime but is missing from the published types.
 */
function endReopened (client: object): void {
  queueMicrotask(() => {
    const close = (client as { close?: () => Promise<void> }).close
    if (typeof close === 'function') void close.call(client).catch(() => {})
  })
}

/** host:port/database of a URL, for logs: never the user or password. */
export function describeUrl (url: string): string {
  try {
    const u = new URL(url)
    return `${u.host}${u.pathname}`
  } catch {
    return '(unparseable DATABASE_URL)'
  }
}
