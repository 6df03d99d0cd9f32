import { Type, type Static } from '@sinclair/typebox'

/** OpenAI's embeddings request: text, texts, one token array, or several token arrays. */
export const EmbeddingsRequestSchema = Type.Object({
  model: Type.String(),
  input: Type.Union([
    Type.String(),
    Type.Array(Type.String(), { minItems: 1 }),
    Type.Array(Type.Integer(), { minItems: 1 }),
    Type.Array(Type.Array(Type.Integer(), { minItems: 1 }), { minItems: 1 })
  ]),
  encoding_format: Type.Optional(Type.Unsafe<'float' | 'base64'>({ type: 'string', enum: ['float', 'base64'] })),
  dimensions: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 }))
})

export type EmbeddingsRequest = Static<typeof EmbeddingsRequestSchema>
