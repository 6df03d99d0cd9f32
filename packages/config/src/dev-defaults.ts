import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/**
 * Development-only secrets shared by the services that `pnpm dev` starts as separate processes.
 * The first process to start writes `.data/dev-secrets.json` (exclusive create, so concurrent
 * starters agree); the others read it. Production never calls this: `server.ts` requires every
 * secret from the environment.
 */
export interface DevSecrets {
  internalToken: string
  /** HEALTH_TOKEN: the health service's read-only secret. */
  healthToken: string
  adminToken: string
  apiKey: string
}

/** Walks up from `start` to the directory holding pnpm-workspace.yaml (the repo root). */
export function findRepoRoot (start: string = process.cwd()): string {
  let dir = resolve(start)
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return resolve(start)
    dir = parent
  }
}

/**
 * Where development state lives (dev secrets, the embedded database): DATA_DIR when set (the
 * `pnpm dev` supervisor passes it as an absolute path, so every service agrees), otherwise
 * `.data/` at the repository root.
 */
export function devDataDir (env: Record<string, string | undefined>): string {
  const dir = env['DATA_DIR']
  return dir !== undefined && dir !== '' ? resolve(dir) : join(findRepoRoot(), '.data')
}

const token = (prefix: string) => prefix + randomBytes(24).toString('base64url')

/**
 * A dev-secrets.json written before HEALTH_TOKEN existed has none: derive it from the internal
 * token (every process computes the same value without rewriting the file).
 */
function withHealthToken (secrets: Omit<DevSecrets, 'healthToken'> & Partial<DevSecrets>): DevSecrets {
  const healthToken = secrets.healthToken ?? 'dev-health-' + createHash('sha256').update(`health:${secrets.internalToken}`).digest('base64url').slice(0, 32)
  return { ...secrets, healthToken }
}

export function loadDevSecrets (dataDir: string): DevSecrets {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'dev-secrets.json')
  const fresh: DevSecrets = {
    internalToken: token('dev-internal-'),
    healthToken: token('dev-health-'),
    adminToken: token('dev-admin-'),
    apiKey: token('sk-sy-')
  }
  try {
    writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { flag: 'wx', mode: 0o600 })
    return fresh
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  // Another process won the race (or an earlier run wrote it): its secrets are the shared ones.
  // A racing writer may not have flushed yet; retry the read briefly.
  for (let i = 0; ; i++) {
    try {
      return withHealthToken(JSON.parse(readFileSync(file, 'utf8')) as Omit<DevSecrets, 'healthToken'> & Partial<DevSecrets>)
    } catch (err) {
      if (i >= 50) throw err
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    }
  }
}

/** Fills unset env vars with development defaults, leaving anything the user set untouched. */
export function applyDevEnv (env: NodeJS.ProcessEnv, defaults: Record<string, string>): void {
  for (const [key, value] of Object.entries(defaults)) {
    if (env[key] === undefined || env[key] === '') env[key] = value
  }
}
