// Polls the one-row auth_revision table (bumped by triggers on any change to plans, users or keys)
// every AUTH_REVISION_POLL_MS and drops the key cache when it moved, so a revocation or plan
// change made anywhere (admin API on any replica, the CLI, plain SQL) reaches this replica within
// about one poll interval, at the cost of one tiny query per second per replica instead of one
// per request. Depends on `database` and `authenticate`; the timer stops in onClose.
import { authRevision } from '@switchyard/db/schema'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { GatewayConfig } from '../config.js'

async function authRevisionPoller (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  let seen: number | undefined
  let running = false
  let failing = false

  const poll = async (): Promise<void> => {
    if (running) return // a slow database must not pile up polls
    running = true
    try {
      const [row] = await app.db.select({ revision: authRevision.revision }).from(authRevision).where(eq(authRevision.id, 1))
      const revision = row?.revision
      if (revision !== undefined && seen !== undefined && revision !== seen) {
        app.keyCache.clear()
        app.log.debug({ revision }, 'auth revision moved: key cache dropped')
      }
      seen = revision
      if (failing) app.log.info('auth revision poll recovered')
      failing = false
    } catch (err) {
      // Cached keys stay valid up to KEY_CACHE_TTL_MS meanwhile; log once per outage, not per poll.
      if (!failing) app.log.warn({ err }, 'cannot read auth_revision; cached keys expire after KEY_CACHE_TTL_MS instead')
      failing = true
    } finally {
      running = false
    }
  }

  let timer: NodeJS.Timeout | undefined
  let current: Promise<void> = Promise.resolve()
  app.addHook('onReady', async () => {
    await poll()
    timer = setInterval(() => { current = poll() }, opts.config.AUTH_REVISION_POLL_MS)
    timer.unref()
  })
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await current // before the database plugin closes the pool
  })
}

export const authRevisionPlugin = fp(authRevisionPoller, { name: 'auth-revision', fastify: '5.x', dependencies: ['database', 'authenticate'] })
