import { SwitchyardError, errorHeaders, toErrorEnvelope } from '@switchyard/errors'
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
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
    // URLs the router refuses before any route (a path parameter over maxParamLength, broken
    // percent-encoding) get our envelope too, without Fastify's message, which quotes the URL.
    // Sent here, not thrown: these requests never reach a route context or the error handler.
    frameworkErrors: sendFrameworkError,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } }
  }
}

/** Fastify's pre-routing URL errors as catalogue errors that do not repeat the URL. */
function frameworkError (err: FastifyError): SwitchyardError {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new SwitchyardError('INVALID_REQUEST', { message: 'A path segment of the URL is longer than this API accepts.', status: 414, cause: err })
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return new SwitchyardError('INVALID_REQUEST', { message: 'The URL is not valid (malformed percent-encoding).', cause: err })
  }
  return new SwitchyardError('INVALID_REQUEST', { message: 'The request could not be routed.', status: err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400, cause: err })
}

function sendFrameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const swErr = frameworkError(err)
  void reply.code(swErr.statusCode).headers({ ...errorHeaders(swErr), 'x-request-id': request.id })
    .type('application/json; charset=utf-8').send(JSON.stringify(toErrorEnvelope(swErr, request.id)))
}
