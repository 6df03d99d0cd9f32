// Decorates `keyCache`, `authFailures` and the onRequest hook `authenticate` that resolves the
// client's API key. The hook is added inside the protected route context only (see app.ts).
// Depends on `database`; the cache is dropped by the auth-revision plugin when keys change anywhere.
import { SwitchyardError } from '@switchyard/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { extractApiKey, hashApiKey, isPlausibleApiKey } from '../auth/api-key.js'
import { AuthFailureLimiter } from '../auth/failure-limiter.js'
import { KeyCache } from '../auth/key-cache.js'
import { KeyLookups } from '../auth/key-lookups.js'
import type { ResolvedKey } from '../auth/resolved-key.js'
import type { GatewayConfig } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    keyCache: KeyCache
    authFailures: AuthFailureLimiter
    authenticate: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    /** The authenticated key; set by `authenticate` in the protected context, null elsewhere. */
    apiKey: ResolvedKey | null
  }
}

/**
 * Auth schemes we may name back to the client. Anything else in front of the first space may be
 * the credential itself ("Authorization: sk-sy-…" without "Bearer "), so it is never echoed or
 * logged: the message then only says the header is not of the Bearer form.
 */
const knownSchemes = new Map(['Basic', 'Digest', 'Negotiate', 'NTLM', 'Token', 'ApiKey', 'Bearer', 'HOBA', 'Mutual', 'AWS4-HMAC-SHA256'].map((s) => [s.toLowerCase(), s]))

/** Why an Authorization header that carries no usable key was not accepted (no part of its value). */
export function describeUnusableAuthorization (header: string | undefined): { message?: string } {
  if (header === undefined || header.trim() === '') return {}
  const scheme = knownSchemes.get(header.trim().split(/\s/, 1)[0]?.toLowerCase() ?? '')
  const how = 'send "Authorization: Bearer <key>" or "X-API-Key: <key>".'
  if (scheme === 'Bearer') return { message: `The Authorization header has the "Bearer" scheme but not one key after it; ${how}` }
  if (scheme !== undefined) return { message: `The Authorization header uses the "${scheme}" scheme; ${how}` }
  return { message: `The Authorization header is not of the form "Bearer <key>" (its value is not repeated here, as it may be a key); ${how}` }
}

function missingKey (request: FastifyRequest): SwitchyardError {
  const scheme = request.headers.authorization?.split(' ')[0]
  // "Bearer" followed by something that is not one token (spaces, nothing): a bad key, not a missing one.
  if (scheme !== undefined && /^bearer$/i.test(scheme)) return new SwitchyardError('INVALID_API_KEY')
  return new SwitchyardError('MISSING_API_KEY', describeUnusableAuthorization(request.headers.authorization))
}

async function authenticate (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  const { config } = opts
  const cache = new KeyCache({ max: config.KEY_CACHE_MAX, negativeMax: config.NEGATIVE_KEY_CACHE_MAX, ttlMs: config.KEY_CACHE_TTL_MS })
  const failures = new AuthFailureLimiter(config.AUTH_FAILURE_LIMIT_PER_MINUTE)
  const lookups = new KeyLookups(app.db)
  app.decorate('keyCache', cache)
  app.decorate('authFailures', failures)
  app.decorateRequest('apiKey', null)

  const fail = (request: FastifyRequest, err: SwitchyardError): never => {
    failures.recordFailure(request.ip)
    throw err
  }

  /** A client IP over its failed-authentication budget gets 429 before the database is asked. */
  const refuseIfBlocked = (request: FastifyRequest): void => {
    const retryAfterSeconds = failures.retryAfterSeconds(request.ip)
    if (retryAfterSeconds > 0) {
      throw new SwitchyardError('TOO_MANY_AUTH_FAILURES', { details: { retryAfterSeconds }, headers: { 'retry-after': String(retryAfterSeconds) } })
    }
  }

  app.decorate('authenticate', async (request: FastifyRequest): Promise<void> => {
    const plaintext = extractApiKey(request.headers)
    if (plaintext === undefined) {
      refuseIfBlocked(request)
      return fail(request, missingKey(request))
    }
    if (!isPlausibleApiKey(plaintext)) {
      refuseIfBlocked(request)
      return fail(request, new SwitchyardError('INVALID_API_KEY'))
    }
    const hash = hashApiKey(plaintext)
    let key = cache.get(hash)
    // Known keys are served from the cache even for a blocked address (no database cost, and
    // clients sharing a NAT with an attacker keep working); everything else waits out the block.
    if (key === undefined || key === null) refuseIfBlocked(request)
    if (key === undefined) {
      const generation = cache.generation
      try {
        key = await lookups.find(hash) ?? null
      } catch (err) {
        throw new SwitchyardError('DATABASE_UNAVAILABLE', { cause: err })
      }
      cache.set(hash, key, generation)
    }
    if (key === null) return fail(request, new SwitchyardError('INVALID_API_KEY'))
    if (key.revoked) return fail(request, new SwitchyardError('API_KEY_REVOKED'))
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) return fail(request, new SwitchyardError('API_KEY_EXPIRED'))
    request.apiKey = key
  })
}

export const authenticatePlugin = fp(authenticate, { name: 'authenticate', fastify: '5.x', dependencies: ['database'] })
