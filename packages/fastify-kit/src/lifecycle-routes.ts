import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export interface LifecycleOptions {
  /** Extra readiness condition (e.g. "database migrated"); `/readyz` answers 503 while it is false. */
  isReady?: () => boolean
}

/**
 * `/livez`: the process is up (never checks dependencies, so a dead database does not make ECS
 * kill every task). `/readyz`: ready for traffic; 503 from the moment shutdown starts, so the
 * load balancer drains this task while in-flight requests finish.
 */
async function lifecycleRoutes (app: FastifyInstance, opts: LifecycleOptions): Promise<void> {
  let shuttingDown = false
  app.addHook('preClose', async () => { shuttingDown = true })

  app.get('/livez', { logLevel: 'warn' }, async () => ({ status: 'ok' }))
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    if (shuttingDown) return reply.code(503).send({ status: 'shutting_down' })
    if (opts.isReady !== undefined && !opts.isReady()) return reply.code(503).send({ status: 'starting' })
    return { status: 'ready' }
  })
}

export const lifecycleRoutesPlugin = fp(lifecycleRoutes, { name: 'switchyard-lifecycle-routes', fastify: '5.x' })
