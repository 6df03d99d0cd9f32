import { startService } from '@switchyard/fastify-kit'
import { buildApp } from './app.js'
import { loadRouterConfig } from './config.js'

/** Boot shared by server.ts (production) and dev.ts; a bad routing table exits 1 with the reason. */
export async function start (env: NodeJS.ProcessEnv, opts: { prettyLogs?: boolean } = {}) {
  return await startService({
    name: 'proxy-router',
    load: () => loadRouterConfig(env),
    build: async (config) => await buildApp(config, { prettyLogs: opts.prettyLogs })
  })
}
