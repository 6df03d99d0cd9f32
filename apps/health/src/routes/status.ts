import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { probeRouteLogLevel } from '@switchyard/fastify-kit'
import type { ProbeHistory } from '../status/probe-history.js'
import { renderStatusPage } from '../status/render-status-page.js'
import { snapshotOf } from '../status/status-snapshot.js'

export interface StatusRouteOptions {
  /** Runs one probe round (shared with /v1/health, so concurrent refreshes cost one round). */
  probeRound: () => Promise<unknown>
  history: ProbeHistory
  version: string
  refreshMs: number
}

/**
 * GET /status: the status page for people; GET /status.json: what it refreshes from. Each call
 * runs (or joins) one probe round, so the page is never staler than its refresh interval.
 */
export const statusRoute: FastifyPluginAsyncTypebox<StatusRouteOptions> = async (app, opts) => {
  const logLevel = probeRouteLogLevel(app)
  app.get('/status', { logLevel }, async (_request, reply) => {
    await opts.probeRound()
    return await reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
      .send(renderStatusPage(snapshotOf(opts.history, opts.version), opts.refreshMs))
  })
  app.get('/status.json', { logLevel }, async (_request, reply) => {
    await opts.probeRound()
    return await reply.header('cache-control', 'no-store').send(snapshotOf(opts.history, opts.version))
  })
}
