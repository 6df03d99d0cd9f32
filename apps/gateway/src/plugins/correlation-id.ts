// Decorates requests with `correlationId`: the client's own x-request-id, kept apart from the
// gateway's request id (which the gateway always mints itself, so it can key usage rows).
// Valid values (printable ASCII, at most 128 characters) are bound to the request's log lines,
// echoed as x-correlation-id and forwarded to the router; anything else is ignored.
import { correlationIdOf } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's x-request-id when well formed, else null. Never a key of anything. */
    correlationId: string | null
  }
}

async function correlationId (app: FastifyInstance): Promise<void> {
  app.decorateRequest('correlationId', null)
  // Callback style: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    const value = correlationIdOf(request.headers['x-request-id'])
    if (value !== undefined) {
      request.correlationId = value
      request.log = request.log.child({ correlationId: value })
      void reply.header('x-correlation-id', value)
    }
    done()
  })
}

export const correlationIdPlugin = fp(correlationId, { name: 'correlation-id', fastify: '5.x' })
