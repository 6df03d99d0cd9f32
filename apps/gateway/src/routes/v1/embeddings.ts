import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorEnvelopeSchema, jsonBodyText } from '@switchyard/fastify-kit'
import { forwardWholeToRouter, relayJsonAnswer } from '../../proxy/forward-to-router.js'
import { EmbeddingsRequestSchema, EmbeddingsResponseSchema } from '../../schemas/embeddings.js'

export interface EmbeddingsOptions {
  internalToken: string
}

/**
 * POST /v1/embeddings: forwards to the proxy-router (which retries and falls back as for chat
 * completions) and relays the embedding list as the provider sent it. Metered like chat
 * completions: the quota preHandler reserves the input's estimated tokens, and the accounting
 * hooks record one usage row (endpoint `embeddings`, prompt tokens from the provider's usage).
 */
export const embeddingsRoute: FastifyPluginAsyncTypebox<EmbeddingsOptions> = async (app, opts) => {
  app.post('/embeddings', {
    schema: {
      body: EmbeddingsRequestSchema,
      response: { 200: EmbeddingsResponseSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema }
    }
  }, async (request, reply) => {
    const body = request.body
    const outcome = app.beginUsage(request, reply, { endpoint: 'embeddings', model: body.model, streamed: false, messages: [], input: body.input })
    const forwarded = await forwardWholeToRouter(app, request, reply, { path: '/v1/embeddings', body: jsonBodyText(request), outcome, internalToken: opts.internalToken })
    return forwarded === undefined ? reply : relayJsonAnswer(forwarded, reply, outcome)
  })
}
