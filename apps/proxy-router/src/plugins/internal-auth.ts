// Adds an onRequest hook admitting only callers that present the shared INTERNAL_TOKEN in
// `x-internal-token` (the gateway). Register it INSIDE the child context of the routes it guards:
// fastify-plugin skips encapsulation relative to that context only, so /livez and /readyz on the
// root stay open for probes.
import { SwitchyardError } from '@switchyard/errors'
import { safeEqual } from '@switchyard/fastify-kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export interface InternalAuthOptions {
  token: string
}

async function internalAuth (app: FastifyInstance, opts: InternalAuthOptions): Promise<void> {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const presented = request.headers['x-internal-token']
    // safeEqual = crypto.timingSafeEqual on equal-length buffers (length mismatch → false).
    if (typeof presented !== 'string' || !safeEqual(presented, opts.token)) {
      throw new SwitchyardError('INVALID_INTERNAL_TOKEN')
    }
  })
}

export const internalAuthPlugin = fp(internalAuth, { name: 'internal-auth', fastify: '5.x' })
