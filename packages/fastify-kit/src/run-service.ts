import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export interface RunOptions {
  host: string
  port: number
  /** How long shutdown may wait for in-flight requests before the process is killed (exit 1). */
  graceMs: number
}

/**
 * A second signal this soon after the first is the same Ctrl-C delivered twice (the terminal
 * signals the whole process group, and `tsx watch` relays it to its child again), not an
 * operator insisting: ignore it instead of force-exiting mid-drain.
 */
const DUPLICATE_SIGNAL_WINDOW_MS = 1000

/**
 * Listens and installs graceful shutdown: on SIGTERM/SIGINT the server stops accepting, lets
 * in-flight requests and streams finish, runs every onClose hook (pools, database), and exits 0.
 * A later second signal, or the grace period running out, exits 1 at once. Unhandled errors are
 * left to close-with-grace. Used only by entry points: `buildApp` never listens.
 */
export async function runService (app: FastifyInstance, opts: RunOptions): Promise<string> {
  closeWithGrace({ delay: opts.graceMs, logger: app.log, skip: ['SIGINT', 'SIGTERM'] }, async ({ err }) => {
    app.log.error({ err }, 'shutting down after an unhandled error')
    await app.close()
  })

  let firstSignalAt: number | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_WINDOW_MS) return
      app.log.error({ signal }, 'second signal during shutdown: exiting now')
      process.exit(1)
    }
    firstSignalAt = Date.now()
    app.log.info({ signal }, 'shutting down: draining in-flight requests')
    const timer = setTimeout(() => {
      app.log.error({ graceMs: opts.graceMs }, 'shutdown grace period elapsed: exiting with requests still in flight')
      process.exit(1)
    }, opts.graceMs)
    timer.unref()
    app.close().then(() => process.exit(0), (err: unknown) => {
      app.log.error({ err }, 'error while shutting down')
      process.exit(1)
    })
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  return await app.listen({ host: opts.host, port: opts.port })
}
