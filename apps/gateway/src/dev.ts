// `pnpm dev` entry: fills in development defaults (shared secrets under .data/, the embedded
// database), ensures a development API key exists, then prints how to use the running system.
import { join } from 'node:path'
import { applyDevEnv, findRepoRoot, loadDevSecrets } from '@switchyard/config'
import { displayPrefix, hashApiKey } from './auth/api-key.js'
import { findKeyByHash, insertKey } from './repositories/api-keys.js'
import { start } from './start.js'

const root = findRepoRoot()
const dataDir = join(root, '.data')
const secrets = loadDevSecrets(dataDir)
const adminTokenWasSet = process.env['ADMIN_TOKEN'] !== undefined && process.env['ADMIN_TOKEN'] !== ''
applyDevEnv(process.env, {
  INTERNAL_TOKEN: secrets.internalToken,
  ADMIN_TOKEN: secrets.adminToken,
  DATA_DIR: dataDir,
  EMBEDDED_DATABASE: 'true',
  DB_MIGRATE_ON_START: 'true',
  HOST: '127.0.0.1'
})

const { app, config } = await start(process.env, { prettyLogs: true })
const base = `http://127.0.0.1:${config.PORT}`
const lines = [
  '',
  'Switchyard is running (development)',
  `  gateway        ${base}/v1   <- OpenAI baseURL`,
  `  proxy-router   ${config.ROUTER_URL} (internal)`,
  '  health         http://127.0.0.1:8082/v1/health',
  '  mock provider  http://127.0.0.1:8090/v1 (models: mock-gpt, mock-gpt-mini)',
  `  database       ${config.DATABASE_URL === undefined ? `embedded PGlite in ${dataDir}/pglite (single instance)` : 'DATABASE_URL'}`,
  `  rate limits    ${config.REDIS_URL === undefined ? 'in process memory (single instance)' : 'Redis (REDIS_URL)'}`
]
if (adminTokenWasSet) {
  lines.push('', 'Create an API key with your ADMIN_TOKEN:',
    `  curl -s ${base}/v1/api-keys -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"name":"dev"}'`)
} else {
  const hash = hashApiKey(secrets.apiKey)
  if (await findKeyByHash(app.db, hash) === undefined) {
    await insertKey(app.db, { name: 'development key', keyHash: hash, keyPrefix: displayPrefix(secrets.apiKey) })
  }
  lines.push(
    `  admin token    ${secrets.adminToken}   (generated; set ADMIN_TOKEN to choose your own)`,
    `  API key        ${secrets.apiKey}`,
    '',
    'Try it:',
    `  curl -s ${base}/v1/chat/completions -H "Authorization: Bearer ${secrets.apiKey}" \\`,
    '    -H \'content-type: application/json\' -d \'{"model":"mock-gpt","messages":[{"role":"user","content":"Hello"}]}\'',
    '  (dev secrets live in .data/dev-secrets.json; delete .data/ to start over)'
  )
}
console.log(lines.join('\n') + '\n')
