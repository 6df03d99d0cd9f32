import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalidApiKeyBody, missingApiKeyBody } from '../openai/error-bodies.js'
import type { MockState } from '../state.js'
import type { RecordedRequest } from '../types.js'

const records = new WeakMap<FastifyRequest, RecordedRequest>()

/** onRequest: remembers the request (and counts it) before anything can refuse it. */
export function recordRequest (state: MockState) {
  return async function onRequest (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.header('x-request-id', request.id)
    const record: RecordedRequest = {
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      url: request.url,
      headers: { ...request.headers },
      body: undefined
    }
    records.set(request, record)
    state.record(record)
  }
}

/** preValidation: adds the parsed body to the record (before validation can reject it). */
export async function recordBody (request: FastifyRequest): Promise<void> {
  const record = records.get(request)
  if (record !== undefined) record.body = request.body
}

/**
 * preValidation: OpenAI's bearer check. No usable header → OpenAI's "You didn't provide an API
 * key" 401; a different key → its 401 `invalid_api_key` with the key masked. Runs after the body
 * was parsed so a refused request is still recorded with its body.
 */
export function requireApiKey (apiKey: string) {
  return async function checkApiKey (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
    if (presented === undefined) return reply.code(401).send(missingApiKeyBody())
    if (presented !== apiKey) return reply.code(401).send(invalidApiKeyBody(presented))
    return undefined
  }
}
