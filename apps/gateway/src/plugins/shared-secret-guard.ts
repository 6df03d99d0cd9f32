import { SwitchyardError, type ErrorCode } from '@switchyard/errors'
import { safeEqual } from '@switchyard/fastify-kit'
import type { FastifyRequest } from 'fastify'

/**
 * Builds an onRequest hook that admits only callers presenting `secret` (constant-time compare).
 * `secret` undefined means the feature is disabled: every call is refused with the same code.
 */
export function requireSecret (read: (request: FastifyRequest) => string | undefined, secret: string | undefined, code: ErrorCode) {
  return async (request: FastifyRequest): Promise<void> => {
    const presented = read(request)
    if (secret === undefined || presented === undefined || !safeEqual(presented, secret)) {
      throw new SwitchyardError(code)
    }
  }
}

export const bearerToken = (request: FastifyRequest): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]

export const internalToken = (request: FastifyRequest): string | undefined => {
  const value = request.headers['x-internal-token']
  return typeof value === 'string' ? value : undefined
}
