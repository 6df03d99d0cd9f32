import { Type, type Static } from '@sinclair/typebox'

/** OpenAI's own bound on the number of inputs of one embeddings request. */
const MAX_INPUTS = 2048

/**
 * The parts of an OpenAI embeddings request the gateway relies on: the model and a non-empty
 * `input` (a text, texts, one token array, or several). Everything else (encoding_format,
 * dimensions, user) is passed through untouched for the provider to judge.
 */
export const EmbeddingsRequestSchema = Type.Object({
  // Capped: model names reach logs, error messages and usage rows (no real model id is this long).
  model: Type.String({ minLength: 1, maxLength: 256 }),
  input: Type.Union([
    Type.String(),
    Type.Array(Type.String(), { minItems: 1, maxItems: MAX_INPUTS }),
    Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 }),
    Type.Array(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 }), { minItems: 1, maxItems: MAX_INPUTS })
  ])
}, { additionalProperties: true })

export type EmbeddingsRequest = Static<typeof EmbeddingsRequestSchema>

/** The 200 answer: the provider's embedding list passed through as a JSON string, never re-serialized. */
export const EmbeddingsResponseSchema = Type.Unsafe<string>({
  description: 'OpenAI embedding list (JSON): data[].embedding (floats, or base64 with encoding_format: "base64") and usage'
})
