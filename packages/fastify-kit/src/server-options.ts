import { LogController, type FastifyServerOptions } from 'fastify'
import { clientErrorHandler } from './client-error.js'
import { genRequestId, genRequestIdTrustingCaller } from './request-id.js'

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
export interface ServerIdentity {
  /**
   * 'mint': every request gets a new id (the public gateway: clients cannot choose ids).
   * 'trust-caller': reuse a well-formed inbound x-request-id (internal services behind the gateway).
   */
  requestIds: 'mint' | 'trust-caller'
}

export function baseServerOptions (http: HttpTimeouts, identity: ServerIdentity): FastifyServerOptions {
  return {
    keepAliveTimeout: http.KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: http.REQUEST_TIMEOUT_MS ?? 60_000,
    connectionTimeout: 0,
    requestIdHeader: false,
    genReqId: identity.requestIds === 'mint' ? genRequestId : genRequestIdTrustingCaller,
    // Requests Node refuses before routing (431, malformed framing) still get our envelope.
    clientErrorHandler,
    // requestLogPlugin writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Our lifecycle plugin answers with the SERVICE_SHUTTING_DOWN envelope instead of Fastify's bare 503.
    return503OnClosing: false,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } }
  }
}
