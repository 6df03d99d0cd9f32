import { SwitchyardError, type ErrorCode } from '@switchyard/errors'
import { safeEqual } from '@switchyard/fastify-kit'
import type { FastifyRequest } from 'fastify'

/**
 * Builds an onRequest hook that admits only callers presenting `secret` (constant-time compare).
 * `secret` undefined means the feature is disabled: every call is refused with the same code.
 */
export function requireSecret (read: (request: FastifyRequest) => string | undefined, secret: string | undefined, code: ErrorCode) {
  return requireOneOf(read, [secret], code)
}

/**
 * Like requireSecret, admitting any of `secrets` (unset ones are skipped): /internal takes the
 * internal token and the health service's read-only HEALTH_TOKEN (docs/adr/0025).
 */
export function requireOneOf (read: (request: FastifyRequest) => string | undefined, secrets: ReadonlyArray<string | undefined>, code: ErrorCode) {
  const accepted = secrets.filter((s): s is string => s !== undefined)
  return async (request: FastifyRequest): Promise<void> => {
    const presented = read(request)
    // Every secret is compared (no early exit), so timing says nothing about which one matched.
    let ok = false
    if (presented !== undefined) for (const secret of accepted) ok = safeEqual(presented, secret) || ok
    if (!ok) throw new SwitchyardError(code)
  }
}

export const bearerToken = (request: FastifyRequest): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]

export const internalToken = (request: FastifyRequest): string | undefined => {
  const value = request.headers['x-internal-token']
  return typeof value === 'string' ? value : undefined
}
