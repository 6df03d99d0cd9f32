// `pnpm dev` entry: the shared development INTERNAL_TOKEN (.data/dev-secrets.json, the file the
// gateway also reads, so the embedded-database probe is admitted), then the same boot as
// production. Anything already set in the environment wins.
import { join } from 'node:path'
import { applyDevEnv, findRepoRoot, loadDevSecrets } from '@switchyard/config'
import { start } from './start.js'

const secrets = loadDevSecrets(join(findRepoRoot(), '.data'))
applyDevEnv(process.env, {
  INTERNAL_TOKEN: secrets.internalToken,
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1'
})

await start(process.env, { prettyLogs: true })
