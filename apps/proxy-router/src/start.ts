import { ConfigError } from '@switchyard/config'
import { runService } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { loadRouterConfig, type RouterConfig } from './config.js'

/**
 * Boot shared by server.ts (production) and dev.ts: config (env + routing table) → app → listen
 * with graceful shutdown. A bad environment or routing table exits 1 with the reason on stderr.
 */
export async function start (env: NodeJS.ProcessEnv, opts: { prettyLogs?: boolean } = {}): Promise<{ app: FastifyInstance, config: RouterConfig, address: string }> {
  let config: RouterConfig
  try {
    config = loadRouterConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`proxy-router: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const app = await buildApp(config, { prettyLogs: opts.prettyLogs })
  const address = await runService(app, { host: config.HOST, port: config.PORT, graceMs: config.SHUTDOWN_GRACE_MS })
  return { app, config, address }
}
