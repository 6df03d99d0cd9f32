import { LogController, type FastifyServerOptions } from 'fastify'
import { genRequestId } from './request-id.js'

export interface HttpTimeouts {
  KEEP_ALIVE_TIMEOUT_MS: number
  /** Optional so tests may omit it; services always pass the HttpEnv value. */
  REQUEST_TIMEOUT_MS?: number
}

/**
 * Fastify options every service shares. Timeouts are explicit (docs/architecture.md, "one
 * timeout budget"): keep-alive above the load balancer idle timeout; a bound on RECEIVING a request
 * (slow-body clients); no socket inactivity timeout (`connectionTimeout: 0`), because a
 * non-streaming completion may legitimately stay silent for minutes.
 */
export function baseServerOptions (http: HttpTimeouts): FastifyServerOptions {
  return {
    keepAliveTimeout: http.KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: http.REQUEST_TIMEOUT_MS ?? 60_000,
    connectionTimeout: 0,
    requestIdHeader: false,
    genReqId: genRequestId,
    // requestLogPlugin writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Our lifecycle plugin answers with the SERVICE_SHUTTING_DOWN envelope instead of Fastify's bare 503.
    return503OnClosing: false,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } }
  }
}
