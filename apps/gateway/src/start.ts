import { ConfigError } from '@switchyard/config'
import { runService } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { loadGatewayConfig, type GatewayConfig } from './config.js'
import { version } from './version.js'

/** Boot shared by server.ts (production) and dev.ts: config → app → listen with graceful shutdown. */
export async function start (env: NodeJS.ProcessEnv, opts: { prettyLogs?: boolean } = {}): Promise<{ app: FastifyInstance, config: GatewayConfig, address: string }> {
  let config: GatewayConfig
  try {
    config = loadGatewayConfig(env, version)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`gateway: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const app = await buildApp(config, { prettyLogs: opts.prettyLogs })
  const address = await runService(app, { host: config.HOST, port: config.PORT, graceMs: config.SHUTDOWN_GRACE_MS })
  return { app, config, address }
}
