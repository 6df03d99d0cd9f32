import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { testDatabaseAdminUrl } from '@switchyard/testing'

/**
 * Watches pg_stat_activity from an admin session on the `postgres` database, so the watcher's
 * own connection never counts towards the database under test.
 */
export interface ActivityWatcher {
  /** Client backends currently connected to the database (optionally only those in a pg_sleep). */
  backends: (opts?: { sleeping?: boolean }) => Promise<number>
  /** Polls until `backends()` satisfies `ok` or `withinMs` passes; returns the last count. */
  waitFor: (ok: (n: number) => boolean, withinMs: number) => Promise<number>
  /** Backend pids connected to the database. */
  pids: () => Promise<number[]>
  close: () => Promise<void>
}

export function watchActivity (database: string): ActivityWatcher {
  const admin = postgres(testDatabaseAdminUrl, { max: 1, onnotice: () => {} })
  const backends = async (opts: { sleeping?: boolean } = {}): Promise<number> => {
    const rows = await admin<Array<{ n: number }>>`
      select count(*)::int as n from pg_stat_activity
      where datname = ${database} and backend_type = 'client backend'
        and (${opts.sleeping !== true} or wait_event = 'PgSleep')`
    return rows[0]?.n ?? 0
  }
  return {
    backends,
    waitFor: async (ok, withinMs) => {
      const deadline = Date.now() + withinMs
      let n = await backends()
      while (!ok(n) && Date.now() < deadline) {
        await sleep(50)
        n = await backends()
      }
      return n
    },
    pids: async () => {
      const rows = await admin<Array<{ pid: number }>>`
        select pid from pg_stat_activity where datname = ${database} and backend_type = 'client backend' order by pid`
      return rows.map((r) => r.pid)
    },
    close: async () => { await admin.end({ timeout: 1 }) }
  }
}
