import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { probeRouteLogLevel } from '@switchyard/fastify-kit'
import type { CheckReport } from '../probes/index.js'
import { HealthDegradedSchema, HealthOkSchema, type HealthReport } from '../schemas/health-report.js'

export interface HealthRouteOptions {
  /** One probe round of every check, shared by concurrent callers (see ../app.ts). */
  probeRound: () => Promise<Record<string, CheckReport>>
  version: string
}

/**
 * GET /v1/health (alias GET /health): the dependency report. 200 when every check is ok, else
 * 503, so a load balancer can use the status alone. Answers within about one probe timeout
 * whatever the dependencies do (see ../probes/run-once.ts).
 */
export const healthRoute: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, opts) => {
  const schema = { response: { 200: HealthOkSchema, 503: HealthDegradedSchema } }
  // Load balancers call this every few seconds: failures only, unless LOG_LEVEL is quieter.
  const logLevel = probeRouteLogLevel(app)
  for (const url of ['/v1/health', '/health']) {
    app.get(url, { schema, logLevel }, async (request, reply) => {
      const checks = await opts.probeRound()
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
