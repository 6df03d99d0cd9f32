// `pnpm dev` entry: the shared development HEALTH_TOKEN (dev-secrets.json in the development
// data directory, the file gateway and router also read, so the embedded-database probe and the
// router's provider report admit it),
// then the same boot as production. Anything already set in the environment wins.
import { applyDevEnv, devDataDir, loadDevSecrets, loadEnvFileIfPresent } from '@switchyard/config'
import { exitOnBootError } from '@switchyard/fastify-kit'
import { start } from './start.js'

try {
  loadEnvFileIfPresent()
} catch (err) {
  exitOnBootError('health', err)
}
const secrets = loadDevSecrets(devDataDir(process.env))
applyDevEnv(process.env, {
  HEALTH_TOKEN: secrets.healthToken,
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1'
})

await start(process.env, { prettyLogs: true })
