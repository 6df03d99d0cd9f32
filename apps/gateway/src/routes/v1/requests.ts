import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError } from '@switchyard/errors'
import { ErrorEnvelopeSchema, safeEqual } from '@switchyard/fastify-kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { GatewayConfig } from '../../config.js'
import { bearerToken } from '../../plugins/shared-secret-guard.js'
import { registerThrottle } from '../../plugins/throttle.js'
import { findRequestTrace, toRequestTrace } from '../../usage/request-traces.js'
import { RequestIdParamsSchema, RequestTraceSchema, toRequestTraceView } from './requests-schema.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** GET /v1/requests/{id} only: the caller presented the admin token, not an API key. */
    readsAsAdmin: boolean
  }
}

/**
 * GET /v1/requests/{id}: one request's trace (status, timings, usage, every attempt the router
 * made) for the API key that made it, or for the admin token. Any other key gets 404
 * REQUEST_NOT_FOUND, exactly as for an unknown id, so request ids cannot be probed.
 *
 * Usage rows are written in batches: the request is looked up in this replica's queue first,
 * then in the table. A request answered by another replica a moment ago (less than
 * USAGE_FLUSH_INTERVAL_MS) may still 404 until that replica's batch is written.
 */
export const requestsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/requests/:id', {
    schema: {
      summary: 'One request\'s trace: status, timings, usage and every attempt the router made',
      description: 'For the API key that made the request, or the admin token. Traces are kept TRACE_RETENTION_DAYS days (then `attempts` is null); the rest of the record stays.',
      security: [{ apiKey: [] }, { apiKeyHeader: [] }, { adminToken: [] }],
      params: RequestIdParamsSchema,
      response: { 200: RequestTraceSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema }
    }
  }, async (request) => {
    const { id } = request.params
    const queued = app.usage.pending(id)
    // A database failure is named DATABASE_UNAVAILABLE by the error handler (map-dependency-errors).
    const trace = queued !== undefined ? toRequestTrace(queued) : await findRequestTrace(app.db, id)
    if (trace === undefined || (!request.readsAsAdmin && trace.apiKeyId !== request.apiKey?.id)) {
      throw new SwitchyardError('REQUEST_NOT_FOUND', { details: { id } })
    }
    return toRequestTraceView(trace)
  })
}

/**
 * The request-trace context (register inside a plain plugin with the /v1 prefix): it takes either
 * credential, so the client API's API-key-only hook cannot guard it. The admin token is checked
 * first (constant-time), then the API key; the request-rate limit applies as on the client API
 * (the admin token is limited per address).
 */
export async function registerRequestTraces (scope: FastifyInstance, config: GatewayConfig): Promise<void> {
  const adminToken = config.ADMIN_TOKEN
  scope.decorateRequest('readsAsAdmin', false)
  scope.addHook('onRequest', async (request: FastifyRequest) => {
    const presented = bearerToken(request)
    if (adminToken !== undefined && presented !== undefined && safeEqual(presented, adminToken)) {
      request.readsAsAdmin = true
      return
    }
    await scope.authenticate(request)
  })
  await registerThrottle(scope, config)
  await scope.register(requestsRoute)
}
