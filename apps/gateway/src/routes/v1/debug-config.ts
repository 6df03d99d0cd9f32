import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { clientAbortSignal } from '@switchyard/fastify-kit'
import type { GatewayConfig } from '../../config.js'
import { collectConfig } from '../../debug/collect.js'
import { adminErrorResponses as errors, adminSecurity as security } from '../admin/schemas.js'

const Section = Type.Record(Type.String(), Type.Unknown(), {
  description: 'A service\'s `{ service, version, node, config }` (secrets as `{ set, sha256 }`), or `{ error: "<code>" }` when it could not be asked.'
})
const Version = Type.Union([Type.String(), Type.Null()])

export const DebugConfigSchema = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  versions: Type.Object({ gateway: Version, 'proxy-router': Version, health: Version }),
  services: Type.Object({ gateway: Section, 'proxy-router': Section, health: Section })
})

/**
 * GET /v1/debug/config (admin): the effective configuration of every service, secrets masked
 * (docs/debugging.md). Router and health are asked in parallel, once each, with a short
 * deadline; one that cannot answer shows `{ "error": "<code>" }` and the rest still arrive.
 */
export const debugConfigRoute: FastifyPluginAsyncTypebox<{ config: GatewayConfig }> = async (app, opts) => {
  app.get('/debug/config', {
    schema: {
      tags: ['admin: debug'],
      security,
      summary: 'Effective configuration of gateway, proxy-router and health (secrets masked)',
      response: { 200: DebugConfigSchema, ...errors }
    }
  }, async (request, reply) => {
    const generatedAt = new Date().toISOString()
    const collected = await collectConfig({ app, config: opts.config, requestId: request.id, signal: clientAbortSignal(reply) })
    return { generatedAt, ...collected }
  })
}
