import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export interface RunOptions {
  host: string
  port: number
  /** How long shutdown may wait for in-flight requests before the process is killed (exit 1). */
  graceMs: number
}

/**
 * Listens and installs graceful shutdown: on SIGTERM/SIGINT the server stops accepting, lets
 * in-flight requests and streams finish, runs every onClose hook (pools, database), and exits 0.
 * Used only by src/server.ts / src/dev.ts: `buildApp` never listens.
 */
export async function runService (app: FastifyInstance, opts: RunOptions): Promise<string> {
  closeWithGrace({ delay: opts.graceMs, logger: app.log }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an unhandled error')
    else app.log.info({ signal }, 'shutting down: draining in-flight requests')
    await app.close()
  })
  return await app.listen({ host: opts.host, port: opts.port })
}
