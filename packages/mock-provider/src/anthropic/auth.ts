import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalidKeyBody, missingKeyBody, missingVersionBody } from './error-bodies.js'

/**
 * preValidation for /v1/messages: Anthropic's header checks. `anthropic-version` is always
 * required (a router that forgets it fails here as it would against Anthropic); with `apiKey`
 * configured, `x-api-key` must carry it (a bearer token does not count). Runs after the body was
 * parsed, so a refused request is still recorded with its body.
 */
export function requireAnthropicHeaders (apiKey: string | undefined) {
  return async function checkAnthropicHeaders (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (apiKey !== undefined) {
      const presented = request.headers['x-api-key']
      if (presented === undefined || presented === '') return reply.code(401).send(missingKeyBody())
      if (presented !== apiKey) return reply.code(401).send(invalidKeyBody())
    }
    if (request.headers['anthropic-version'] === undefined) return reply.code(400).send(missingVersionBody())
    return undefined
  }
}
