import { ConfigError } from '@switchyard/config'
import { runService } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { loadHealthConfig, type HealthConfig } from './config.js'
import { version } from './version.js'

/**
 * Boot shared by server.ts (production) and dev.ts: config → app → listen with graceful
 * shutdown. A bad environment exits 1 with the reason on stderr.
 */
export async function start (env: NodeJS.ProcessEnv, opts: { prettyLogs?: boolean } = {}): Promise<{ app: FastifyInstance, config: HealthConfig, address: string }> {
  let config: HealthConfig
  try {
    config = loadHealthConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`health: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const app = await buildApp({ ...config, version }, { prettyLogs: opts.prettyLogs })
  const address = await runService(app, { host: config.HOST, port: config.PORT, graceMs: config.SHUTDOWN_GRACE_MS })
  return { app, config, address }
}
