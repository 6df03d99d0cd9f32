// Adds an onRequest hook admitting only callers that present the shared INTERNAL_TOKEN in
// `x-internal-token` (the gateway), or, on the read-only routes listed in `healthTokenRoutes`
// (GET only), the health service's HEALTH_TOKEN: least privilege, so the health service can
// read provider state but never call a provider (docs/adr/0025). Register it INSIDE the child
// context of the routes it guards: fastify-plugin skips encapsulation relative to that context
// only, so /livez and /readyz on the root stay open for probes.
import { SwitchyardError } from '@switchyard/errors'
import { safeEqual } from '@switchyard/fastify-kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export interface InternalAuthOptions {
  token: string
  /** HEALTH_TOKEN; undefined = only `token` is admitted. */
  healthToken?: string | undefined
  /** Full route URLs (e.g. /internal/providers) where a GET may present `healthToken`. */
  healthTokenRoutes?: readonly string[]
}

async function internalAuth (app: FastifyInstance, opts: InternalAuthOptions): Promise<void> {
  const readOnly = new Set(opts.healthTokenRoutes ?? [])
  const { healthToken } = opts
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    const presented = request.headers['x-internal-token']
    // safeEqual = crypto.timingSafeEqual on equal-length buffers (length mismatch → false).
    if (typeof presented === 'string') {
      if (safeEqual(presented, opts.token)) return done()
      if (healthToken !== undefined && (request.method === 'GET' || request.method === 'HEAD') &&
        readOnly.has(request.routeOptions.url ?? '') && safeEqual(presented, healthToken)) return done()
    }
    done(new SwitchyardError('INVALID_INTERNAL_TOKEN'))
  })
}

export const internalAuthPlugin = fp(internalAuth, { name: 'internal-auth', fastify: '5.x' })
