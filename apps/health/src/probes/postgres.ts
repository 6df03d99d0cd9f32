import { connect, type Socket } from 'node:net'
import postgres from 'postgres'
import { ProbeFailure } from './describe-error.js'
import { runOnce } from './run-once.js'
import type { ProbeResult } from './types.js'

/** The parts of postgres.js's parsed options its `socket` factory receives. */
interface SocketTarget {
  host: string[]
  port: number[]
  /** Unix socket path when the host is a directory. */
  path: string | false
}

/**
 * postgres.js reconnects on its own when the server closes the socket cleanly before startup
 * completes (a restarting Postgres, a proxy with no backend): 167 connections within a 300 ms
 * probe in our test. Its (untyped) `socket` option is the one hook before every attempt, so this
 * factory opens the first socket and refuses any other: one connection per probe, always.
 */
function oneSocketOnly (): (target: SocketTarget) => Socket {
  let opened = false
  return (target) => {
    if (opened) throw new ProbeFailure('the server closed the connection during startup')
    opened = true
    const host = target.host[0] ?? 'localhost'
    const socket = target.path !== false ? connect(target.path) : connect(target.port[0] ?? 5432, host)
    // postgres.js reads `socket.host` for the TLS server name when it upgrades the socket (sslmode).
    return Object.assign(socket, { host })
  }
}

/**
 * One `select 1` on a fresh connection (max 1), then the client is ended at once
 * (`end({ timeout: 0 })`), on success, failure or deadline alike, so no socket outlives the check.
 * A fresh client rather than a pool: the check must prove that a NEW connection can be opened
 * (what a restarting service needs), and the health service holds nothing open between checks.
 */
export async function probePostgres (url: string, timeoutMs: number): Promise<ProbeResult> {
  return await runOnce({ name: 'database', kind: 'postgres', timeoutMs }, async (signal) => {
    const options: postgres.Options<Record<string, postgres.PostgresType>> & { socket: (target: SocketTarget) => Socket } = {
      max: 1,
      // Seconds in postgres.js; fractions work. The race in runOnce is the real bound.
      connect_timeout: timeoutMs / 1000,
      // One round trip: no array-type lookup after connecting, no prepared statement.
      fetch_types: false,
      prepare: false,
      onnotice: () => {},
      connection: { application_name: 'switchyard-health' },
      socket: oneSocketOnly()
    }
    const sql = postgres(url, options)
    const end = async (): Promise<void> => { await sql.end({ timeout: 0 }).catch(() => {}) }
    // At the deadline the query is still pending; ending the client destroys its socket.
    signal.addEventListener('abort', () => { void end() }, { once: true })
    try {
      await sql`select 1`
    } finally {
      await end()
    }
  })
}
