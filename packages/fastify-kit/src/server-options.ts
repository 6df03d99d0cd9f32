import type { FastifyServerOptions } from 'fastify'
import { genRequestId } from './request-id.js'

export interface HttpTimeouts {
  KEEP_ALIVE_TIMEOUT_MS: number
}

/**
 * Fastify options every service shares. Timeouts are explicit (see ARCHITECTURE.md, "one
 * budget"): keep-alive above the load balancer idle timeout; no request timeout, because a
 * non-streaming completion may legitimately take minutes and streams longer.
 */
export function baseServerOptions (http: HttpTimeouts): FastifyServerOptions {
  return {
    keepAliveTimeout: http.KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: 0,
    connectionTimeout: 0,
    requestIdHeader: false,
    genReqId: genRequestId,
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } }
  }
}
