import { ConfigError } from '@switchyard/config'
import type { FastifyInstance } from 'fastify'
import { runService } from './run-service.js'

export interface ServiceSettings {
  HOST: string
  PORT: number
  SHUTDOWN_GRACE_MS: number
}

export interface StartServiceOptions<C extends ServiceSettings> {
  /** Used to prefix a configuration error on stderr. */
  name: string
  /** Reads and validates configuration; throws ConfigError naming what is wrong. */
  load: () => C
  build: (config: C) => Promise<FastifyInstance>
}

/**
 * The boot every service's server.ts / dev.ts shares: config → app → listen with graceful
 * shutdown. A bad environment exits 1 with the reason on stderr instead of a stack trace.
 */
export async function startService<C extends ServiceSettings> (opts: StartServiceOptions<C>): Promise<{ app: FastifyInstance, config: C, address: string }> {
  let config: C
  try {
    config = opts.load()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${opts.name}: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const app = await opts.build(config)
  const address = await runService(app, { host: config.HOST, port: config.PORT, graceMs: config.SHUTDOWN_GRACE_MS })
  return { app, config, address }
}
