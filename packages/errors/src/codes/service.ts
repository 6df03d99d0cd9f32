import type { ErrorSpec } from '../types.js'

// Failures of Switchyard itself or of its own dependencies.
export const serviceErrors = {
  INTERNAL_ERROR: {
    status: 500,
    type: 'server_error',
    message: 'An unexpected error occurred. Quote the request id when reporting it.',
    hint: 'A bug: the service log has the cause under the same request id.',
    retryable: true
  },
  SERVICE_SHUTTING_DOWN: {
    status: 503,
    type: 'server_error',
    message: 'This instance is shutting down; retry the request.',
    hint: 'Expected during deploys; the load balancer should already have stopped routing here.',
    retryable: true
  },
  ROUTER_UNAVAILABLE: {
    status: 502,
    type: 'api_error',
    message: 'The gateway could not reach the proxy-router.',
    hint: 'Check ROUTER_URL and that the proxy-router service is running and healthy.',
    retryable: true
  },
  ROUTER_TIMEOUT: {
    status: 504,
    type: 'api_error',
    message: 'The proxy-router did not answer in time.',
    hint: 'ROUTER_HEADERS_TIMEOUT_MS (first byte) or ROUTER_BODY_TIMEOUT_MS (silence mid-body) elapsed. ROUTER_HEADERS_TIMEOUT_MS must exceed the router\'s ROUTER_TOTAL_TIMEOUT_MS, and ROUTER_BODY_TIMEOUT_MS its PROVIDER_BODY_TIMEOUT_MS.',
    retryable: true
  },
  ROUTER_AUTH_FAILED: {
    status: 502,
    type: 'api_error',
    message: 'The gateway is misconfigured: the proxy-router refused its internal credentials.',
    hint: 'Gateway and proxy-router were started with different INTERNAL_TOKEN values. Give both the same secret.',
    retryable: false
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    type: 'server_error',
    message: 'The gateway\'s database is unavailable.',
    hint: 'Postgres did not answer (DATABASE_URL, pool settings DB_*). See the health service report.',
    retryable: true
  },
  RATE_LIMIT_STORE_UNAVAILABLE: {
    status: 503,
    type: 'server_error',
    message: 'The gateway cannot check rate limits right now.',
    hint: 'Redis (REDIS_URL) did not answer and the gateway is configured to fail closed.',
    retryable: true
  }
} as const satisfies Record<string, ErrorSpec>
