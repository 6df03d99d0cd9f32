import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { clientAbortSignal } from '@switchyard/fastify-kit'
import type { GatewayConfig } from '../../config.js'
import { collectBundle } from '../../debug/collect.js'
import { adminErrorResponses as errors, adminSecurity as security } from '../admin/schemas.js'

const Section = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description })
const Version = Type.Union([Type.String(), Type.Null()])

export const DebugBundleSchema = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  versions: Type.Object({ gateway: Version, 'proxy-router': Version, health: Version }),
  config: Type.Object({ gateway: Type.Unknown(), 'proxy-router': Type.Unknown(), health: Type.Unknown() }, { description: 'As GET /v1/debug/config `services`.' }),
  health: Section('The health service\'s GET /v1/health report (ok or degraded), or `{ error }`.'),
  router: Section('The router\'s provider states, cooldowns and upstream error groups (`source` names the route it came from), or `{ error }`.'),
  failedRequests: Section('`{ since, limit, requests }`: the newest failed requests (status >= 400 or an error code), newest first, or `{ error }`.')
})

/** `2026-11-29T22:15:03.123Z` → `20261129T221503Z`: sortable, and safe in a file name everywhere. */
export const bundleTimestamp = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')

/**
 * GET /v1/debug/bundle (admin): one JSON file to attach to a support request: versions, every
 * service's masked configuration, the health report, the router's provider and cooldown state,
 * and the last 100 failed requests' traces. Served as a download.
 */
export const debugBundleRoute: FastifyPluginAsyncTypebox<{ config: GatewayConfig }> = async (app, opts) => {
  app.get('/debug/bundle', {
    schema: {
      tags: ['admin: debug'],
      security,
      summary: 'Support bundle: versions, masked configuration, health, provider state, recent failed requests',
      response: { 200: DebugBundleSchema, ...errors }
    }
  }, async (request, reply) => {
    const bundle = await collectBundle({ app, config: opts.config, requestId: request.id, signal: clientAbortSignal(reply) })
    void reply.header('content-disposition', `attachment; filename="switchyard-bundle-${bundleTimestamp(bundle.generatedAt)}.json"`)
    return bundle
  })
}
