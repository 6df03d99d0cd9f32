import type { ErrorSpec } from '../types.js'

// Upstream (LLM provider) failures. The client is not at fault for any of these, which is why
// auth/billing problems of the operator's provider account are 502, never 401/429.
export const providerErrors = {
  PROVIDER_AUTH_FAILED: {
    status: 502,
    type: 'api_error',
    message: 'The provider "{provider}" rejected this gateway\'s credentials.',
    hint: 'The operator\'s provider API key is missing, wrong or revoked (e.g. OpenRouter "401 User not found"). Fix the key in the proxy-router environment.',
    retryable: false
  },
  PROVIDER_QUOTA_EXCEEDED: {
    status: 502,
    type: 'api_error',
    message: 'The provider "{provider}" refused the request: the provider account is out of credit or quota.',
    hint: 'Billing on the provider account is exhausted (e.g. OpenAI insufficient_quota). Top it up or route to another provider.',
    retryable: false
  },
  PROVIDER_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    message: 'The provider "{provider}" is rate limiting this gateway.',
    hint: 'The provider returned 429 for the operator\'s account. Add deployments or raise the provider tier.',
    retryable: true
  },
  PROVIDER_TIMEOUT: {
    status: 504,
    type: 'api_error',
    message: 'The provider "{provider}" did not answer in time.',
    hint: 'details.timeout says which wait ran out: connect, headers (PROVIDER_HEADERS_TIMEOUT_MS), first_token (PROVIDER_FIRST_TOKEN_TIMEOUT_MS), body (PROVIDER_BODY_TIMEOUT_MS) or total (ROUTER_TOTAL_TIMEOUT_MS, every attempt together; details.attempts lists them).',
    retryable: true
  },
  PROVIDER_UNAVAILABLE: {
    status: 502,
    type: 'api_error',
    message: 'The provider "{provider}" is unavailable.',
    hint: 'The provider refused the connection, failed DNS/TLS, reset it, or answered 5xx; details.cause names which (the router log has the full cause). Check its status page and the routing table baseUrl.',
    retryable: true
  },
  PROVIDER_BAD_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The provider "{provider}" rejected the request: {providerMessage}',
    hint: 'The provider returned 4xx for the request body; its own message is included.',
    retryable: false
  },
  PROVIDER_MODEL_UNAVAILABLE: {
    status: 502,
    type: 'api_error',
    message: 'The provider "{provider}" does not serve the model this gateway routed to ({providerStatus}).',
    hint: 'The routing table points at a model or path the provider does not have: e.g. an Ollama model that was never pulled, or a baseUrl missing /v1. Fix the deployment in ROUTES_FILE.',
    retryable: false
  },
  PROVIDER_BAD_RESPONSE: {
    status: 502,
    type: 'api_error',
    message: 'The provider "{provider}" sent a response this gateway could not read.',
    hint: 'The provider answered with something that is not the expected JSON. Check the routing table baseUrl points at an API, not a web page.',
    retryable: true
  }
} as const satisfies Record<string, ErrorSpec>
