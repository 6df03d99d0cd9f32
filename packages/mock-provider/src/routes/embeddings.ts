import type { FastifyPluginAsync } from 'fastify'
import { embedText, toBase64Floats, DEFAULT_EMBEDDING_DIMENSIONS } from '../embedding-vector.js'
import { modelNotFoundBody } from '../openai/error-bodies.js'
import type { EmbeddingList } from '../openai/wire.js'
import { EmbeddingsRequestSchema, type EmbeddingsRequest } from '../schemas/embeddings-request.js'
import { countTokens } from '../tokens.js'
import { actOutFault } from './act-out-fault.js'
import type { RouteOptions } from './context.js'

/** Each input to embed, with its token count (token arrays count one per element). */
function inputsOf (input: EmbeddingsRequest['input']): Array<{ key: string, tokens: number }> {
  if (typeof input === 'string') return [{ key: input, tokens: countTokens(input) }]
  const items: ReadonlyArray<string | number | number[]> = input
  if (items.every((item): item is string => typeof item === 'string')) return items.map((s) => ({ key: s, tokens: countTokens(s) }))
  if (items.every((item): item is number => typeof item === 'number')) return [{ key: JSON.stringify(items), tokens: items.length }]
  return items.map((item) => ({ key: JSON.stringify(item), tokens: Array.isArray(item) ? item.length : 1 }))
}

/** `POST /v1/embeddings`: deterministic unit vectors (8 dimensions unless `dimensions` says otherwise). */
export const embeddingsRoute: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.post<{ Body: EmbeddingsRequest }>('/embeddings', {
    schema: { body: EmbeddingsRequestSchema }
  }, async (request, reply): Promise<EmbeddingList | typeof reply> => {
    const body = request.body
    if (ctx.strictModels && !ctx.models.includes(body.model)) return reply.code(404).send(modelNotFoundBody(body.model))
    if (await actOutFault(ctx.state.faults.take(), reply, false)) return reply

    const inputs = inputsOf(body.input)
    const dimensions = body.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS
    const tokens = inputs.reduce((sum, input) => sum + input.tokens, 0)
    return {
      object: 'list',
      data: inputs.map((input, index) => {
        const vector = embedText(input.key, dimensions)
        return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? toBase64Floats(vector) : vector }
      }),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens }
    }
  })
}
