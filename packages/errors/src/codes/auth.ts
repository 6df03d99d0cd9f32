import type { ErrorSpec } from '../types.js'

export const authErrors = {
  MISSING_API_KEY: {
    status: 401,
    type: 'authentication_error',
    message: 'No API key provided. Send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
    hint: 'The client sent neither header. Check the SDK is given an api key and that a proxy does not strip Authorization.',
    retryable: false
  },
  INVALID_API_KEY: {
    status: 401,
    type: 'authentication_error',
    message: 'The API key provided is not valid.',
    hint: 'The key is unknown to this gateway. Create one with POST /v1/api-keys (admin token).',
    retryable: false
  },
  API_KEY_REVOKED: {
    status: 401,
    type: 'authentication_error',
    message: 'The API key provided has been revoked.',
    hint: 'An admin revoked this key. Issue a new key with POST /v1/api-keys.',
    retryable: false
  },
  INVALID_ADMIN_TOKEN: {
    status: 401,
    type: 'authentication_error',
    message: 'Admin endpoints require a valid admin token: "Authorization: Bearer <ADMIN_TOKEN>".',
    hint: 'Use the ADMIN_TOKEN the gateway was started with (pnpm dev prints a development one).',
    retryable: false
  },
  INVALID_INTERNAL_TOKEN: {
    status: 401,
    type: 'authentication_error',
    message: 'This endpoint only accepts calls from Switchyard services.',
    hint: 'The caller did not send the shared INTERNAL_TOKEN (x-internal-token), or sent the read-only HEALTH_TOKEN to a route that needs INTERNAL_TOKEN. Gateway and proxy-router must be configured with the same values.',
    retryable: false
  },
  MODEL_NOT_ALLOWED: {
    status: 403,
    type: 'permission_error',
    message: 'This API key may not use model "{model}".',
    hint: 'The key or its plan restricts the models it may call.',
    retryable: false
  },
  API_KEY_EXPIRED: {
    status: 401,
    type: 'authentication_error',
    message: 'The API key provided has expired.',
    hint: 'The key passed its expires_at. Issue a new key (or extend the expiry) through the admin API.',
    retryable: false
  }
} as const satisfies Record<string, ErrorSpec>
