import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { invalidJsonBody, invalidRequestBody, invalidUrlBody, serverErrorBody } from '../openai/error-bodies.js'
import { validationErrorBody, type ValidationIssue } from '../openai/validation-error.js'

const JSON_BODY_ERRORS = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY'])

/**
 * Every error leaves in OpenAI's shape (not Fastify's `{statusCode, error, message}`), because
 * the point of the mock is that clients parse it exactly as they parse OpenAI.
 */
export function openAIErrorHandler (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.validation !== undefined) {
    return reply.code(400).send(validationErrorBody(err.validation[0] as ValidationIssue | undefined, request.body))
  }
  if (JSON_BODY_ERRORS.has(err.code) || (err instanceof SyntaxError && err.statusCode === 400)) {
    return reply.code(400).send(invalidJsonBody())
  }
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) return reply.code(status).send(invalidRequestBody(err.message, null, null))
  request.log.error({ err }, 'mock provider failed')
  return reply.code(500).send(serverErrorBody())
}

/** OpenAI's 404 for a path it does not serve. */
export function openAINotFoundHandler (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send(invalidUrlBody(request.method, request.url.split('?')[0] ?? request.url))
}
