import type { FastifyInstance, LogLevel } from 'fastify'
import { SwitchyardError } from '@switchyard/errors'
import fp from 'fastify-plugin'

const quieterThanWarn = new Set(['warn', 'error', 'fatal', 'silent'])

/**
 * Log level for routes that probes hit every few seconds: warn, unless the service is configured
 * quieter still (a plain route `logLevel: 'warn'` would be louder than LOG_LEVEL=silent).
 */
export function probeRouteLogLevel (app: FastifyInstance): LogLevel {
  return quieterThanWarn.has(app.log.level) ? app.log.level as LogLevel : 'warn'
}

export interface LifecycleOptions {
  /** Extra readiness condition (e.g. "database migrated"); `/readyz` answers 503 while it is false. */
  isReady?: () => boolean
}

/**
 * `/livez`: the process is up (never checks dependencies, so a dead database does not make ECS
 * kill every task). `/readyz`: ready for traffic; 503 from the moment shutdown starts, so the
 * load balancer drains this task while in-flight requests finish.
 *
 * Also closes each client connection as soon as its last response has finished once shutdown has
 * started. Node's server.close() only closes the keep-alive connections idle at that instant; one
 * whose stream was still in flight becomes idle later and would stay open until the client's
 * keep-alive timeout (callers honour our `Keep-Alive: timeout=65` hint), holding the process past
 * SHUTDOWN_GRACE_MS into a forced exit 1. Found by the router's SIGTERM-mid-stream test.
 */
async function lifecycleRoutes (app: FastifyInstance, opts: LifecycleOptions): Promise<void> {
  let shuttingDown = false
  app.addHook('preClose', async () => { shuttingDown = true })
  // Requests that still arrive on open keep-alive connections once shutdown has started get the
  // catalogue's retryable 503 (with request id) and `connection: close`, so the caller retries on
  // another instance. /livez and /readyz answer for themselves.
  // Callback-style hooks (here and in the other per-request hooks of fastify-kit and the
  // services): an async hook costs every request a promise and a microtask turn for nothing.
  app.addHook('onRequest', (request, reply, done) => {
    if (!shuttingDown) return done()
    const path = request.url.split('?')[0]
    if (path === '/livez' || path === '/readyz') return done()
    void reply.header('connection', 'close')
    done(new SwitchyardError('SERVICE_SHUTTING_DOWN'))
  })
  app.addHook('onResponse', (_request, _reply, done) => {
    // Node marks the connection idle on the tick after 'finish'; then closing it cuts nothing.
    if (shuttingDown) setImmediate(() => app.server.closeIdleConnections())
    done()
  })

  const logLevel = probeRouteLogLevel(app)
  app.get('/livez', { logLevel }, async () => ({ status: 'ok' }))
  app.get('/readyz', { logLevel }, async (_request, reply) => {
    if (shuttingDown) return reply.code(503).send({ status: 'shutting_down' })
    if (opts.isReady !== undefined && !opts.isReady()) return reply.code(503).send({ status: 'starting' })
    return { status: 'ready' }
  })
}

export const lifecycleRoutesPlugin = fp(lifecycleRoutes, { name: 'switchyard-lifecycle-routes', fastify: '5.x' })
