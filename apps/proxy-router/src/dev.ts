// `pnpm dev` entry: the shared development INTERNAL_TOKEN and HEALTH_TOKEN (dev-secrets.json in the development
// data directory, the file the gateway reads) and, unless ROUTES_FILE or ROUTES_JSON is set, the committed
// routing table for the local mock provider; then the same boot as production. Anything already
// set in the environment wins.
import { fileURLToPath } from 'node:url'
import { applyDevEnv, devDataDir, loadDevSecrets, loadEnvFileIfPresent } from '@switchyard/config'
import { exitOnBootError } from '@switchyard/fastify-kit'
import { start } from './start.js'

try {
  loadEnvFileIfPresent()
} catch (err) {
  exitOnBootError('proxy-router', err)
}
const secrets = loadDevSecrets(devDataDir(process.env))
applyDevEnv(process.env, {
  INTERNAL_TOKEN: secrets.internalToken,
  HEALTH_TOKEN: secrets.healthToken,
  // Exactly one of ROUTES_FILE / ROUTES_JSON may be set: a ROUTES_JSON from the environment wins.
  ...(process.env['ROUTES_JSON'] === undefined || process.env['ROUTES_JSON'] === ''
    ? { ROUTES_FILE: fileURLToPath(new URL('../config/routes.dev.json', import.meta.url)) }
    : {}),
  // The mock provider accepts any key; setting one exercises the apiKeyEnv path as in production.
  MOCK_PROVIDER_API_KEY: 'sk-mock-development',
  // Development shows hosts, ports and low-level error text in error details; production does not.
  UPSTREAM_ERROR_DETAIL: 'full',
  HOST: '127.0.0.1'
})

await start(process.env, { prettyLogs: true })
