// Decorates `cooldowns`: the one CooldownBook of this process (routing/cooldown-rules.ts decides,
// this plugin keeps the state, supplies the clock, and logs and counts every transition once). State is per
// router instance on purpose: it is a hint for skipping a deployment for seconds, not an
// agreement between instances (docs/adr/0014).
import type { ErrorCode } from '@switchyard/errors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { CooldownBook, type CooldownSettings, type CooldownTransition, type DeploymentState } from '../routing/cooldown-rules.js'
import type { CooldownView } from '../upstream/attempt-loop.js'

declare module 'fastify' {
  interface FastifyInstance {
    cooldowns: Cooldowns
  }
}

export interface Cooldowns extends CooldownView {
  /** The state of each deployment id, for GET /internal/deployments. */
  snapshot: (ids: readonly string[]) => DeploymentState[]
}

export interface CooldownsOptions {
  settings: CooldownSettings
  /** Epoch ms; tests pass a fake clock. */
  now?: () => number
}

async function cooldowns (app: FastifyInstance, opts: CooldownsOptions): Promise<void> {
  const book = new CooldownBook(opts.settings)
  const now = opts.now ?? Date.now
  const log = (transitions: CooldownTransition[]): void => {
    for (const t of transitions) {
      app.upstreamMetrics.cooldownTransition(t.deployment, t.state)
      if (t.state === 'cooling_down') {
        app.log.warn({ deployment: t.deployment, reason: t.reason, until: new Date(t.until ?? 0).toISOString() }, 'deployment cooling down')
      } else {
        app.log.info({ deployment: t.deployment }, 'deployment available again')
      }
    }
  }
  app.decorate('cooldowns', {
    isCoolingDown: (id: string) => {
      const t = now()
      log(book.expire(t))
      return book.isCoolingDown(id, t)
    },
    recordSuccess: (id: string) => { log(book.recordSuccess(id, now())) },
    recordFailure: (id: string, code: ErrorCode, retryAfterMs?: number) => { log(book.recordFailure(id, code, now(), retryAfterMs)) },
    snapshot: (ids: readonly string[]) => {
      const t = now()
      log(book.expire(t))
      return book.snapshot(ids, t)
    }
  })
}

export const cooldownsPlugin = fp(cooldowns, { name: 'cooldowns', fastify: '5.x', decorators: { fastify: ['upstreamMetrics'] } })
