import { startService } from '@switchyard/fastify-kit'
import { buildApp } from './app.js'
import { loadHealthConfig } from './config.js'
import { version } from './version.js'

/** Boot shared by server.ts (production) and dev.ts. */
export async function start (env: NodeJS.ProcessEnv, opts: { prettyLogs?: boolean } = {}) {
  return await startService({
    name: 'health',
    load: () => loadHealthConfig(env),
    build: async (config) => await buildApp({ ...config, version }, { prettyLogs: opts.prettyLogs })
  })
}
