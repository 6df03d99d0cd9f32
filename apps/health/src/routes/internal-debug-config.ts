import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { maskConfig } from '@switchyard/config'
import { SwitchyardError } from '@switchyard/errors'
import { ErrorEnvelopeSchema, safeEqual } from '@switchyard/fastify-kit'
import { HealthEnvSchema, type HealthConfig } from '../config.js'

export interface InternalDebugConfigRouteOptions {
  config: HealthConfig & { version: string }
}

const DebugConfigSchema = Type.Object({
  service: Type.Literal('health'),
  version: Type.String(),
  node: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown())
})

/**
 * GET /internal/debug/config: this service's effective configuration with every secret masked
 * (`{ set, sha256 }`, docs/debugging.md), for the gateway's GET /v1/debug/config. Only callers
 * presenting HEALTH_TOKEN in `x-internal-token` are served; with HEALTH_TOKEN unset every call
 * is refused. The guard lives in this plugin's own context, so /v1/health and /status stay open.
 */
export const internalDebugConfigRoute: FastifyPluginAsyncTypebox<InternalDebugConfigRouteOptions> = async (app, opts) => {
  const token = opts.config.HEALTH_TOKEN
  app.addHook('onRequest', async (request) => {
    const presented = request.headers['x-internal-token']
    if (token === undefined || typeof presented !== 'string' || !safeEqual(presented, token)) {
      throw new SwitchyardError('INVALID_INTERNAL_TOKEN')
    }
  })
  // Computed once: the configuration is frozen at boot.
  const body = { service: 'health' as const, version: opts.config.version, node: process.version, config: maskConfig(HealthEnvSchema, opts.config) }
  app.get('/internal/debug/config', {
    schema: { response: { 200: DebugConfigSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema } }
  }, async () => body)
}
