import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { closedPort } from './listen.js'

const run = promisify(execFile)

/**
 * A private Postgres server for one test that must stop, restart or break its database — never
 * the machine's shared server. Made with initdb + pg_ctl on a free 127.0.0.1 port, trust auth,
 * fsync off; `destroy()` stops it and deletes its directory.
 */
export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string
  port: number
  /** Stops the server (fast shutdown: open connections are cut). */
  stop: () => Promise<void>
  /** Starts it again on the same port and data. */
  start: () => Promise<void>
  destroy: () => Promise<void>
}

/** The bin directory of the newest installed Postgres (PG_BIN overrides), or undefined. */
export function postgresBinDir (): string | undefined {
  const fromEnv = process.env['PG_BIN']
  if (fromEnv !== undefined) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/** Why a throwaway Postgres cannot be made here, or undefined when it can. */
export function throwawayPostgresUnavailable (): string | undefined {
  return postgresBinDir() === undefined ? 'no Postgres server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; set PG_BIN' : undefined
}

export async function startThrowawayPostgres (): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir()
  if (bin === undefined) throw new Error(throwawayPostgresUnavailable())
  // initdb refuses to run as root: run the server tools as the postgres user then.
  const asRoot = userInfo().uid === 0
  const dir = mkdtempSync(join(tmpdir(), 'sy-throwaway-pg-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const tool = async (name: string, args: string[]): Promise<void> => {
    const file = join(bin, name)
    if (asRoot) await run('runuser', ['-u', 'postgres', '--', file, ...args])
    else await run(file, args)
  }
  const port = await closedPort()
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=40`
  const ctl = async (...args: string[]): Promise<void> => { await tool('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', ...args]) }
  await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  const start = async (): Promise<void> => { await ctl('-o', serverOptions, 'start') }
  await start()
  let destroyed = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: async () => { await ctl('-m', 'fast', 'stop') },
    destroy: async () => {
      if (destroyed) return
      destroyed = true
      await ctl('-m', 'immediate', 'stop').catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
