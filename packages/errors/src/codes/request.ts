import type { ErrorSpec } from '../types.js'

export const requestErrors = {
  INVALID_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request is not valid.',
    hint: 'The body failed validation; the message names the offending field.',
    retryable: false
  },
  INVALID_JSON: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body is not valid JSON.',
    hint: 'The client sent a body that does not parse as JSON.',
    retryable: false
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    type: 'invalid_request_error',
    message: 'Unsupported content type; send "Content-Type: application/json".',
    hint: 'The client sent a body with a content type the endpoint does not accept.',
    retryable: false
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    type: 'invalid_request_error',
    message: 'The request body is larger than this gateway accepts.',
    hint: 'Raise BODY_LIMIT_BYTES if such requests are legitimate.',
    retryable: false
  },
  NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'No route {method} {url}.',
    hint: 'The client called a path this service does not serve. Check the SDK baseURL ends in /v1.',
    retryable: false
  },
  RESOURCE_NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'No {resource} with id "{id}".',
    hint: 'The id does not exist (or belongs to something else).',
    retryable: false
  },
  REQUEST_NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'No request "{id}" that this caller may see.',
    hint: 'GET /v1/requests/{id} shows a request to the key that made it (and to the admin token). The id is unknown, was made with another key (never revealed: ids cannot be probed), is still being answered, or was answered less than a second ago by another gateway replica and is not written yet.',
    retryable: false
  },
  MODEL_NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'The model "{model}" does not exist on this gateway.',
    hint: 'Add the model to the proxy-router routing table (ROUTES_FILE), or call GET /v1/models for the served names.',
    retryable: false
  },
  CONTEXT_LENGTH_EXCEEDED: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request exceeds the model\'s context length.',
    hint: 'The provider rejected the prompt as too long. Shorten it or route to a model with a larger context window.',
    retryable: false
  },
  UNSUPPORTED_PARAMETER: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The parameter "{param}" is not supported by the provider "{provider}" serving this model.',
    hint: 'The client sent an OpenAI parameter the routed provider cannot honour (e.g. n > 1 or logprobs for Anthropic); it is refused rather than silently dropped. Remove it, or route the model to a provider that supports it.',
    retryable: false
  },
  JSON_TOO_DEEP: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body nests objects or arrays deeper than {maxDepth} levels.',
    hint: 'The body is valid JSON but nested beyond what any API request needs; such bodies are refused before any work is done on them.',
    retryable: false
  },
  UNSAFE_JSON_KEY: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body contains the key "{key}", which this API does not accept.',
    hint: 'Keys named "__proto__" (or "constructor" holding "prototype") are refused rather than silently dropped, so the body is never changed behind the client\'s back. Rename the key.',
    retryable: false
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'invalid_request_error',
    message: '{url} does not accept {method}; allowed: {allow}.',
    hint: 'The path exists but not for this HTTP method; the Allow header lists the methods it serves.',
    retryable: false
  },
  REQUEST_HEADERS_TOO_LARGE: {
    status: 431,
    type: 'invalid_request_error',
    message: 'The request headers are larger than this service accepts.',
    hint: 'The client (or a proxy in front of it) sent more header bytes than Node\'s limit (16 KiB by default, --max-http-header-size).',
    retryable: false
  },
  MALFORMED_HTTP_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The HTTP request could not be parsed ({reason}).',
    hint: 'A malformed request line or header, or conflicting framing (Content-Length together with Transfer-Encoding). Usually a broken client or a probe; the connection is closed.',
    retryable: false
  },
  REQUEST_TIMEOUT: {
    status: 408,
    type: 'invalid_request_error',
    message: 'The request was not received in time.',
    hint: 'The client did not finish sending headers and body within REQUEST_TIMEOUT_MS.',
    retryable: true
  },
  OPERATION_NOT_SUPPORTED: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The provider "{provider}" serving this model has no {operation} API.',
    hint: 'The model is routed only to providers that cannot serve this endpoint (e.g. embeddings on an Anthropic deployment). Use a model whose routing table entry lists a provider that can; a deployment that cannot is skipped in favour of the next one.',
    retryable: false
  }
} as const satisfies Record<string, ErrorSpec>
