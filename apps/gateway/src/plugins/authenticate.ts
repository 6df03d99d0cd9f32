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

async function authenticate (app: FastifyInstance, opts: { config: GatewayConfig }): Promise<void> {
  const cache = new KeyCache(opts.config.KEY_CACHE_MAX, opts.config.KEY_CACHE_TTL_MS)
  app.decorate('keyCache', cache)
  app.decorateRequest('apiKey', null)

  app.decorate('authenticate', async (request: FastifyRequest): Promise<void> => {
    const plaintext = extractApiKey(request.headers)
    if (plaintext === undefined) {
      const scheme = request.headers.authorization?.split(' ')[0]
      throw new SwitchyardError('MISSING_API_KEY', scheme === undefined || scheme === ''
        ? {}
        : { message: `The Authorization header uses the "${scheme}" scheme; send "Authorization: Bearer <key>" or "X-API-Key: <key>".` })
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
