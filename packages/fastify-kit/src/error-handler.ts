import { SwitchyardError, errorHeaders, toErrorEnvelope } from '@switchyard/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { trackAllowedMethods } from './allowed-methods.js'
import { wasTracked } from './error-tracking/tracked-errors.js'
import { noteAnsweredError } from './reply-error-code.js'
import { toSwitchyardError } from './to-switchyard-error.js'

/**
 * The one error path of a service: every thrown error and every unknown route leaves as the
 * OpenAI-style envelope with a catalogue code, `x-request-id` and `x-should-retry`; a known path
 * called with the wrong method is 405 METHOD_NOT_ALLOWED with `Allow`. Register it before any
 * route (it learns the routes as they are added). 5xx are logged with their cause at error level;
 * 4xx at info (they are the client's business, not an alert), and so are 5xx already reported to
 * the error tracker (its grouped line is the alert).
 * Every response (errors or not) echoes the request id.
 */
export interface ErrorHandlerOptions {
  /** Service-specific mapping tried first (e.g. the gateway's Redis errors); undefined = not mine. */
  mapError?: (err: unknown) => SwitchyardError | undefined
  /** True when the request has a trace to read (the gateway's metered routes): the message points at it. */
  traceable?: (request: FastifyRequest) => boolean
}

async function errorHandler (app: FastifyInstance, opts: ErrorHandlerOptions): Promise<void> {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  app.setErrorHandler((err, request, reply) => {
    const swErr = opts.mapError?.(err) ?? toSwitchyardError(err)
    noteAnsweredError(reply, swErr)
    if (swErr.statusCode >= 500 && !wasTracked(err)) {
      request.log.error({ err: swErr.cause ?? swErr, code: swErr.code }, swErr.message)
    } else {
      request.log.info({ code: swErr.code, status: swErr.statusCode }, swErr.message)
    }
    void reply.code(swErr.statusCode).headers(errorHeaders(swErr)).send(toErrorEnvelope(swErr, request.id, { traceable: opts.traceable?.(request) === true }))
  })

  const allowedMethods = trackAllowedMethods(app)
  app.setNotFoundHandler((request) => {
    const url = request.url.split('?')[0] ?? '/'
    const allow = allowedMethods(url)
    if (allow.length > 0) {
      throw new SwitchyardError('METHOD_NOT_ALLOWED', { details: { method: request.method, url, allow: allow.join(', ') }, headers: { allow: allow.join(', ') } })
    }
    throw new SwitchyardError('NOT_FOUND', { details: { method: request.method, url } })
  })
}

export const errorHandlerPlugin = fp(errorHandler, { name: 'switchyard-error-handler', fastify: '5.x' })
