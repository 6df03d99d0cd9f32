import type { StatusFault } from '../faults/fault.js'
import {
  apiErrorBody,
  billingBody,
  invalidKeyBody,
  overloadedBody,
  permissionBody,
  promptTooLongBody,
  rateLimitBody,
  requestTooLargeBody,
  spendLimitBody
} from './error-bodies.js'

/**
 * Ready-made faults with Anthropic's statuses, headers and bodies, for a request to
 * `/v1/messages` (they are ordinary `status` faults: whichever route consumes one sends it as is).
 */
export const anthropicFaults = {
  /** 529 overloaded_error: Anthropic is short of capacity for everyone; retryable. */
  overloaded (): StatusFault {
    return { kind: 'status', status: 529, body: overloadedBody(), headers: { 'x-should-retry': 'true' } }
  },
  /** 429 rate_limit_error with `retry-after` (seconds) and Anthropic's rate-limit headers. */
  rateLimited (retryAfterSeconds = 1): StatusFault {
    return {
      kind: 'status',
      status: 429,
      body: rateLimitBody(),
      headers: { 'retry-after': String(retryAfterSeconds), 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0' }
    }
  },
  /** 429 rate_limit_error with `details.error_code: enforced_spend_limit_reached`: not worth retrying. */
  spendLimitReached (): StatusFault {
    return { kind: 'status', status: 429, body: spendLimitBody() }
  },
  /** 401 authentication_error "invalid x-api-key". */
  authenticationError (): StatusFault {
    return { kind: 'status', status: 401, body: invalidKeyBody() }
  },
  /** 402 billing_error. */
  billingError (): StatusFault {
    return { kind: 'status', status: 402, body: billingBody() }
  },
  /** 403 permission_error. */
  permissionError (): StatusFault {
    return { kind: 'status', status: 403, body: permissionBody() }
  },
  /** 400 invalid_request_error "prompt is too long: … tokens > … maximum". */
  promptTooLong (): StatusFault {
    return { kind: 'status', status: 400, body: promptTooLongBody() }
  },
  /** 413 request_too_large. */
  requestTooLarge (): StatusFault {
    return { kind: 'status', status: 413, body: requestTooLargeBody() }
  },
  /** 500 api_error (or another 5xx status with the same body). */
  apiError (status = 500): StatusFault {
    return { kind: 'status', status, body: apiErrorBody() }
  }
}
