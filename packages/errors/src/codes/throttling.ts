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
    message: 'Monthly token quota exceeded ({used} of {limit} tokens used); resets {resetDate}.',
    hint: 'The key\'s user has used its monthly token quota. Raise the plan quota or wait for the reset.',
    retryable: false
  }
} as const satisfies Record<string, ErrorSpec>
