// `pnpm dev` entry: the shared development INTERNAL_TOKEN (.data/dev-secrets.json, same file the
// gateway reads) and the committed routing table for the local mock provider, then the same boot
// as production. Anything already set in the environment wins.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { applyDevEnv, findRepoRoot, loadDevSecrets } from '@switchyard/config'
import { start } from './start.js'

const secrets = loadDevSecrets(join(findRepoRoot(), '.data'))
applyDevEnv(process.env, {
  INTERNAL_TOKEN: secrets.internalToken,
  ROUTES_FILE: fileURLToPath(new URL('../config/routes.dev.json', import.meta.url)),
  // The mock provider accepts any key; setting one exercises the apiKeyEnv path as in production.
  MOCK_PROVIDER_API_KEY: 'sk-mock-development',
  // Development shows hosts, ports and low-level error text in error details; production does not.
  UPSTREAM_ERROR_DETAIL: 'full',
  HOST: '127.0.0.1'
})

await start(process.env, { prettyLogs: true })
