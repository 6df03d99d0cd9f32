import type { FastifyReply } from 'fastify'
import type { ProviderOperation } from '../../providers/types.js'
import type { ProviderResult } from '../../upstream/call-provider.js'

/**
 * A whole JSON answer to the gateway: the provider's bytes when the adapter relays them (OpenAI
 * shape already: nothing to serialise again), else the translated answer, serialised by Fastify.
 */
export function relayJson<Op extends ProviderOperation> (reply: FastifyReply, result: Extract<ProviderResult<Op>, { kind: 'json' }>): FastifyReply {
  if (result.text === undefined) return reply.send(result.body)
  return reply.type('application/json; charset=utf-8').send(result.text)
}
