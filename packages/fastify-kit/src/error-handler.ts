import { SwitchyardError, errorHeaders, toErrorEnvelope } from '@switchyard/errors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { wasTracked } from './error-tracking/tracked-errors.js'
import { toSwitchyardError } from './to-switchyard-error.js'

/**
 * The one error path of a service: every thrown error and every unknown route leaves as the
 * OpenAI-style envelope with a catalogue code, `x-request-id` and `x-should-retry`. 5xx are logged
 * with their cause at error level; 4xx at info (they are the client's business, not an alert), and
 * so are 5xx already reported to the error tracker (its grouped line is the alert).
 * Every response (errors or not) echoes the request id.
 */
export interface ErrorHandlerOptions {
  /** Service-specific mapping tried first (e.g. the gateway's Redis errors); undefined = not mine. */
  mapError?: (err: unknown) => SwitchyardError | undefined
}

async function errorHandler (app: FastifyInstance, opts: ErrorHandlerOptions): Promise<void> {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  app.setErrorHandler((err, request, reply) => {
    const swErr = opts.mapError?.(err) ?? toSwitchyardError(err)
    if (swErr.statusCode >= 500 && !wasTracked(err)) {
      request.log.error({ err: swErr.cause ?? swErr, code: swErr.code }, swErr.message)
    } else {
      request.log.info({ code: swErr.code, status: swErr.statusCode }, swErr.message)
    }
    void reply.code(swErr.statusCode).headers(errorHeaders(swErr)).send(toErrorEnvelope(swErr, request.id))
  })

  app.setNotFoundHandler((request) => {
    throw new SwitchyardError('NOT_FOUND', { details: { method: request.method, url: request.url.split('?')[0] } })
  })
}

export const errorHandlerPlugin = fp(errorHandler, { name: 'switchyard-error-handler', fastify: '5.x' })
