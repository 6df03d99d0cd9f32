import { adminErrors } from './codes/admin.js'
import { authErrors } from './codes/auth.js'
import { providerErrors } from './codes/provider.js'
import { requestErrors } from './codes/request.js'
import { serviceErrors } from './codes/service.js'
import { throttlingErrors } from './codes/throttling.js'
import type { ErrorSpec } from './types.js'

/**
 * Every error code any Switchyard service sends. Codes are what clients program against:
 * append-only, never renamed, never reused (docs/errors.md is generated from this).
 */
export const catalogue = {
  ...authErrors,
  ...requestErrors,
  ...throttlingErrors,
  ...providerErrors,
  ...serviceErrors,
  ...adminErrors
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof catalogue

export function isErrorCode (value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(catalogue, value)
}
