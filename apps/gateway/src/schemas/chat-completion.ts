import { Type, type Static } from '@sinclair/typebox'

/**
 * An answer-length bound: at least 1, and at most 2^24 tokens (far above any model's output
 * limit), so a negative or absurd value is a 400 here rather than a reservation nobody can hold.
 */
const TokenBound = Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 16_777_216 }), Type.Null()]))

/**
 * The parts of an OpenAI chat request the gateway itself relies on. Everything else (tools,
 * response_format, temperature, ...) is passed through untouched for the provider to judge.
 */
export const ChatCompletionRequestSchema = Type.Object({
  // Capped: model names reach logs, error messages and usage rows (no real model id is this long).
  model: Type.String({ minLength: 1, maxLength: 256 }),
  messages: Type.Array(Type.Object({ role: Type.String({ minLength: 1 }) }, { additionalProperties: true }), { minItems: 1 }),
  stream: Type.Optional(Type.Boolean()),
  stream_options: Type.Optional(Type.Union([
    Type.Object({ include_usage: Type.Optional(Type.Boolean()) }, { additionalProperties: true }),
    Type.Null()
  ])),
  max_tokens: TokenBound,
  max_completion_tokens: TokenBound
}, { additionalProperties: true })

export type ChatCompletionRequest = Static<typeof ChatCompletionRequestSchema>

/**
 * The 200 answer is the provider's body passed through as-is: a `chat.completion` JSON string or a
 * `text/event-stream`. Typed for the handler, never serialized (Fastify sends strings and streams
 * untouched), so it costs nothing on the hot path.
 */
export const PassThroughResponseSchema = Type.Unsafe<string | NodeJS.ReadableStream>({
  description: 'OpenAI chat.completion (JSON) or chat.completion.chunk events (text/event-stream)'
})
