// `pnpm dev` entry: fills in development defaults (shared secrets and the embedded database under
// the development data directory), then boots as production does and makes sure the development
// API key exists — also when you set your own ADMIN_TOKEN. The `pnpm dev` supervisor prints the
// banner with the key once every service is ready. Anything already set in the environment wins.
import { applyDevEnv, devDataDir, loadDevSecrets, loadEnvFileIfPresent } from '@switchyard/config'
import { exitOnBootError } from '@switchyard/fastify-kit'
import { displayPrefix, hashApiKey } from './auth/api-key.js'
import { findKeyByHash, insertKey } from './repositories/api-keys.js'
import { start } from './start.js'

try {
  loadEnvFileIfPresent()
} catch (err) {
  exitOnBootError('gateway', err)
}
const dataDir = devDataDir(process.env)
const secrets = loadDevSecrets(dataDir)
applyDevEnv(process.env, {
  INTERNAL_TOKEN: secrets.internalToken,
  HEALTH_TOKEN: secrets.healthToken,
  ADMIN_TOKEN: secrets.adminToken,
  DATA_DIR: dataDir,
  EMBEDDED_DATABASE: 'true',
  DB_MIGRATE_ON_START: 'true',
  HOST: '127.0.0.1'
})

const { app } = await start(process.env, { prettyLogs: true })
try {
  const hash = hashApiKey(secrets.apiKey)
  if (await findKeyByHash(app.db, hash) === undefined) {
    await insertKey(app.db, { name: 'development key', keyHash: hash, keyPrefix: displayPrefix(secrets.apiKey) })
  }
  // Never any part of the key in a log line: the banner (stdout) is where a developer reads it.
  app.log.info(`development API key ready (stored in ${dataDir}/dev-secrets.json)`)
} catch (err) {
  app.log.error({ err }, 'could not create the development API key')
}
