import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { probeRouteLogLevel } from '@switchyard/fastify-kit'
import type { HealthRound } from '../providers/health-round.js'
import { HealthReportSchema, type HealthReport } from '../schemas/health-report.js'

export interface HealthRouteOptions {
  /** One probe round of every check, shared by concurrent callers (see ../app.ts). */
  probeRound: () => Promise<HealthRound>
  version: string
}

/**
 * GET /v1/health (alias GET /health): the dependency report. 200 when healthy or degraded, 503
 * when unhealthy (docs/adr/0025), so a load balancer can act on the status alone and a single
 * provider outage, which the router falls back around, does not take the service out. Answers
 * within about one probe timeout whatever the dependencies do (see ../probes/run-once.ts).
 */
export const healthRoute: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, opts) => {
  const schema = { response: { 200: HealthReportSchema, 503: HealthReportSchema } }
  // Load balancers call this every few seconds: failures only, unless LOG_LEVEL is quieter.
  const logLevel = probeRouteLogLevel(app)
  for (const url of ['/v1/health', '/health']) {
    app.get(url, { schema, logLevel }, async (request, reply) => {
      const round = await opts.probeRound()
      const report: HealthReport = {
        status: round.status,
        reasons: round.reasons,
        version: opts.version,
        checks: round.checks,
        providerStatus: round.providerStatus,
        providers: round.providers
      }
      if (round.status !== 'healthy') request.log.warn({ status: round.status, reasons: round.reasons }, 'dependency checks not all healthy')
      return await reply.code(round.status === 'unhealthy' ? 503 : 200).send(report)
    })
  }
}
