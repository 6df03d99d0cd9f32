import type { FastifyInstance } from 'fastify'
import { exitOnBootError } from './boot-error.js'
import { runService } from './run-service.js'

export interface ServiceSettings {
  HOST: string
  PORT: number
  SHUTDOWN_GRACE_MS: number
}

export interface StartServiceOptions<C extends ServiceSettings> {
  /** Prefixes the one-line boot error on stderr. */
  name: string
  /** Reads and validates configuration; throws ConfigError naming what is wrong. */
  load: () => C
  build: (config: C) => Promise<FastifyInstance>
}

/**
 * The boot every service's server.ts / dev.ts shares: config → app → listen with graceful
 * shutdown. Any boot failure (bad setting, a plugin refusing its configuration, a port in use)
 * ends the process with exit 1 and ONE line on stderr naming the setting and what is wrong —
 * no stack trace from avvio for a configuration mistake. Resources a half-built app opened are
 * closed first (the embedded database holds a lock on its directory).
 */
export async function startService<C extends ServiceSettings> (opts: StartServiceOptions<C>): Promise<{ app: FastifyInstance, config: C, address: string }> {
  let config: C
  try {
    config = opts.load()
  } catch (err) {
    return exitOnBootError(opts.name, err)
  }
  const target = { host: config.HOST, port: config.PORT }
  let app: FastifyInstance | undefined
  try {
    app = await opts.build(config)
    const address = await runService(app, { host: config.HOST, port: config.PORT, graceMs: config.SHUTDOWN_GRACE_MS })
    return { app, config, address }
  } catch (err) {
    await app?.close().catch(() => {})
    return exitOnBootError(opts.name, err, target)
  }
}
