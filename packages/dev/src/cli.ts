#!/usr/bin/env node
// `pnpm dev` / `pnpm start` (after turbo has built everything): node dist/cli.js dev|start.
// Loads .env from where you ran the command (the real environment wins), plans the services,
// and hands over to the Supervisor. Every problem of its own is one line on stderr, exit 1.
import { join } from 'node:path'
import { devDataDir, findRepoRoot, loadDevSecrets, loadEnvFileIfPresent } from '@switchyard/config'
import { planServices, SupervisorConfigError, fromCaller, type Mode } from './services.js'
import { Supervisor } from './supervisor.js'

function fail (message: string): never {
  process.stderr.write(`switchyard: ${message}\n`)
  process.exit(1)
}

const mode = process.argv[2]
if (mode !== 'dev' && mode !== 'start') fail('usage: cli.js dev|start')

// pnpm runs root scripts in the repository root; INIT_CWD is where the user actually was.
const callerCwd = process.env['INIT_CWD'] ?? process.cwd()
const root = findRepoRoot(new URL('.', import.meta.url).pathname)
try {
  loadEnvFileIfPresent(callerCwd)
} catch (err) {
  fail((err as Error).message)
}
const env = process.env

const dataDir = env['DATA_DIR'] !== undefined && env['DATA_DIR'] !== '' ? fromCaller(callerCwd, env['DATA_DIR']) : join(root, '.data')
let plan
try {
  plan = planServices({ mode: mode as Mode, root, callerCwd, dataDir, env: { ...env, DATA_DIR: dataDir } })
} catch (err) {
  if (err instanceof SupervisorConfigError) fail(err.message)
  throw err
}

let internalToken = env['INTERNAL_TOKEN'] ?? ''
let apiKey: string | undefined
let generatedAdminToken: string | undefined
if (mode === 'dev') {
  // Written before any service starts, so they all read the same secrets.
  const secrets = loadDevSecrets(devDataDir({ DATA_DIR: dataDir }))
  if (internalToken === '') internalToken = secrets.internalToken
  apiKey = secrets.apiKey
  if (env['ADMIN_TOKEN'] === undefined || env['ADMIN_TOKEN'] === '') generatedAdminToken = secrets.adminToken
} else {
  // The router's table may come as ROUTES_JSON instead of ROUTES_FILE; the router checks which.
  const required = (env['ROUTES_JSON'] ?? '') === '' ? ['INTERNAL_TOKEN', 'ROUTES_FILE'] : ['INTERNAL_TOKEN']
  for (const name of required) {
    if (env[name] === undefined || env[name] === '') fail(`pnpm start runs the built services as production does: set ${name} (in the environment or .env)`)
  }
  if ((env['DATABASE_URL'] ?? '') === '' && env['EMBEDDED_DATABASE'] !== 'true') {
    fail('pnpm start needs DATABASE_URL (Postgres), or EMBEDDED_DATABASE=true for the single-instance embedded database')
  }
}

const startTimeoutMs = Number(env['SWITCHYARD_START_TIMEOUT_MS'] ?? 120_000)
const supervisor = new Supervisor({ mode, plan, dataDir, env, internalToken, apiKey, generatedAdminToken, startTimeoutMs })
process.exit(await supervisor.run())
