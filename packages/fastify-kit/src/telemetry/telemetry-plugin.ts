import type { Server } from 'node:http'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errorCodeOf } from '../reply-error-code.js'
import { startMetricsServer } from './metrics-server.js'
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.js'

export interface TelemetryOptions {
  service: string
  /** Port for `GET /metrics`; undefined = no metrics server (the registry still counts); 0 = any free port (tests). */
  metricsPort?: number
  /** Interface for the metrics server (default 0.0.0.0, as the services listen). */
  metricsHost?: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's Prometheus registry and shared HTTP metrics. */
    metrics: ServiceMetrics
  }
}

function routeOf (request: FastifyRequest): string {
  // The registered pattern (bounded); unmatched URLs share one label, whatever their path.
  return request.routeOptions.url ?? 'unmatched'
}

/**
 * Request metrics for every route from hooks, never from handlers: a count by route, method,
 * status and catalogue error code, and a latency histogram (for streams, until the last byte).
 * Decorates `app.metrics`; starts the metrics server on METRICS_PORT and closes it on close.
 */
const telemetry: FastifyPluginAsync<TelemetryOptions> = async (app, opts) => {
  const metrics = createServiceMetrics(opts.service)
  app.decorate('metrics', metrics)

  // The duration is Fastify's own: from the start of its routing to the response's end (for a
  // stream, its last byte), stamped on the reply anyway: no onRequest hook or property of ours.
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request)
    const status = String(reply.statusCode)
    // The code the error handler answered with (its service mapping included), "" on success.
    metrics.httpRequests.inc({ route, method: request.method, status, code: errorCodeOf(reply) ?? '' })
    metrics.httpDuration.observe({ route, method: request.method, status }, reply.elapsedTime / 1000)
    done()
  })

  let server: Server | undefined
  if (opts.metricsPort !== undefined) {
    const host = opts.metricsHost ?? '0.0.0.0'
    server = await startMetricsServer(metrics.registry, host, opts.metricsPort)
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : opts.metricsPort
    metrics.url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`
    app.log.info({ port }, 'metrics served on their own port')
  }
  app.addHook('onClose', async () => {
    if (server === undefined) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server?.close(() => { resolve() }))
  })
}

export const telemetryPlugin = fp(telemetry, { name: 'telemetry', fastify: '5.x' })
