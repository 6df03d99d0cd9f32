import type { ErrorSpec } from '../types.js'

export const throttlingErrors = {
  RATE_LIMIT_EXCEEDED: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Rate limit exceeded: {limit} requests per {window}. Retry after {retryAfterSeconds} s.',
    hint: 'The key sent more requests than its limit allows. Raise RATE_LIMIT_MAX or give the key a bigger plan.',
    retryable: true
  },
  QUOTA_EXCEEDED: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Monthly token quota of the {scope} exceeded ({used} of {limit} tokens used); resets {resetAt}.',
    hint: 'details.scope says whose quota ran out: "user" (shared by all the user\'s keys: raise the plan\'s or the user\'s quota) or "key" (the key\'s own override: raise it or use another key). Or wait for the reset.',
    retryable: false
  },
  TOKEN_RATE_LIMIT_EXCEEDED: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Token rate limit exceeded: {limit} tokens per minute. Retry after {retryAfterSeconds} s.',
    hint: 'The key reserved more tokens this minute than its tokens-per-minute limit allows (prompt estimate + max tokens of requests in flight). Raise the plan or key limit, or lower max_tokens.',
    retryable: true
  },
  REQUEST_EXCEEDS_TOKEN_LIMIT: {
    status: 429,
    type: 'rate_limit_error',
    message: 'This request may use up to {requested} tokens, more than the key\'s {limitName} ({limit}); it can never be served. Lower max_tokens or shorten the prompt.',
    hint: 'The prompt estimate plus max_tokens (or DEFAULT_MAX_TOKENS_CAP) is larger than a whole token bucket of the key. Raise the limit or ask the client to send a smaller max_tokens.',
    retryable: false
  },
  TOO_MANY_AUTH_FAILURES: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Too many failed authentications from this address. Retry after {retryAfterSeconds} s.',
    hint: 'One client IP sent more invalid keys than AUTH_FAILURE_LIMIT_PER_MINUTE allows. Behind a load balancer, check TRUST_PROXY so the real client IP is used.',
    retryable: true
  }
} as const satisfies Record<string, ErrorSpec>
