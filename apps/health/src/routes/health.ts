import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { LogLevel } from 'fastify'
import { runChecks, type Check } from '../probes/index.js'
import { HealthDegradedSchema, HealthOkSchema, type HealthReport } from '../schemas/health-report.js'

export interface HealthRouteOptions {
  checks: Check[]
  timeoutMs: number
  version: string
  /** The service's LOG_LEVEL; this route never logs more than that. */
  serviceLogLevel: string
}

/** Pino levels, most verbose first. */
const levels: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']

/**
 * Load balancers call this route every few seconds, so its per-request info lines are noise:
 * log at warn (failures only) unless LOG_LEVEL is already quieter. A plain `logLevel: 'warn'`
 * would make the route LOUDER than LOG_LEVEL=error or silent.
 */
export function routeLogLevel (serviceLevel: string): LogLevel {
  const quieter = levels.slice(levels.indexOf('warn') + 1).find((level) => level === serviceLevel)
  return quieter ?? 'warn'
}

/**
 * GET /v1/health (alias GET /health): the dependency report. 200 when every check is ok, else
 * 503, so a load balancer can use the status alone. Answers within about one probe timeout
 * whatever the dependencies do (see ../probes/run-once.ts).
 */
export const healthRoute: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, opts) => {
  const schema = { response: { 200: HealthOkSchema, 503: HealthDegradedSchema } }
  const logLevel = routeLogLevel(opts.serviceLogLevel)
  for (const url of ['/v1/health', '/health']) {
    app.get(url, { schema, logLevel }, async (request, reply) => {
      const checks = await runChecks(opts.checks, opts.timeoutMs)
      const down = Object.entries(checks).filter(([, c]) => !c.ok).map(([name, c]) => ({ name, error: c.error }))
      if (down.length === 0) {
        const report: HealthReport = { status: 'ok', version: opts.version, checks }
        return await reply.code(200).send(report)
      }
      request.log.warn({ down }, 'dependency checks failed')
      const report: HealthReport = { status: 'degraded', version: opts.version, checks }
      return await reply.code(503).send(report)
    })
  }
}
