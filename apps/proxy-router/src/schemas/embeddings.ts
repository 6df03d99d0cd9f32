import { Type, type Static } from '@sinclair/typebox'

/**
 * The parts of an OpenAI embeddings request the router relies on: the alias and a non-empty
 * input (a text, texts, or token arrays). Everything else (encoding_format, dimensions, user)
 * is forwarded untouched for the provider to judge.
 */
export const EmbeddingsRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  input: Type.Union([
    Type.String(),
    Type.Array(Type.String(), { minItems: 1 }),
    Type.Array(Type.Integer(), { minItems: 1 }),
    Type.Array(Type.Array(Type.Integer(), { minItems: 1 }), { minItems: 1 })
  ])
}, { additionalProperties: true, $id: 'EmbeddingsRequest' })

export type EmbeddingsRequest = Static<typeof EmbeddingsRequestSchema>

/**
 * The provider's embedding list (OpenAI shape). Only `data` is required; `usage`, `model` and
 * the rest pass through as received.
 */
export const EmbeddingsResponseSchema = Type.Object({
  data: Type.Array(Type.Unknown())
}, { additionalProperties: true, $id: 'EmbeddingsResponse' })

export type EmbeddingsResponse = Static<typeof EmbeddingsResponseSchema>
