// Decorates `keyCache` and exports the onRequest hook that resolves the client's API key. The hook
// is added inside the protected route context only (see app.ts), never globally.
import { SwitchyardError } from '@switchyard/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { extractApiKey, hashApiKey } from '../auth/api-key.js'
import { KeyCache } from '../auth/key-cache.js'
import type { GatewayConfig } from '../config.js'
import { findKeyByHash, type ResolvedKey } from '../repositories/api-keys.js'

declare module 'fastify' {
  interface FastifyInstance {
    keyCache: KeyCache
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

async function authenticate (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  const cache = new KeyCache(opts.config.KEY_CACHE_MAX, opts.config.KEY_CACHE_TTL_MS)
  app.decorate('keyCache', cache)
  app.decorateRequest('apiKey', null)

  app.decorate('authenticate', async (request: FastifyRequest): Promise<void> => {
    const plaintext = extractApiKey(request.headers)
    if (plaintext === undefined) {
      throw new SwitchyardError('MISSING_API_KEY', describeUnusableAuthorization(request.headers.authorization))
    }
    const hash = hashApiKey(plaintext)
    let key = cache.get(hash)
    if (key === undefined) {
      try {
        key = await findKeyByHash(app.db, hash) ?? null
      } catch (err) {
        throw new SwitchyardError('DATABASE_UNAVAILABLE', { cause: err })
      }
      cache.set(hash, key)
    }
    if (key === null) throw new SwitchyardError('INVALID_API_KEY')
    if (key.revoked) throw new SwitchyardError('API_KEY_REVOKED')
    request.apiKey = key
  })
}

export const authenticatePlugin = fp(authenticate, { name: 'authenticate', fastify: '5.x', dependencies: ['database'] })
