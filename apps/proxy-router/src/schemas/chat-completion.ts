import { Type, type Static } from '@sinclair/typebox'

/**
 * The parts of an OpenAI chat request the router relies on. Everything else (tools,
 * response_format, temperature, ...) is forwarded untouched for the provider to judge.
 */
export const ChatCompletionRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  messages: Type.Array(Type.Object({ role: Type.String() }, { additionalProperties: true }), { minItems: 1 }),
  stream: Type.Optional(Type.Boolean())
}, { additionalProperties: true, $id: 'ChatCompletionRequest' })

export type ChatCompletionRequest = Static<typeof ChatCompletionRequestSchema>

/**
 * A non-streaming completion as the provider sent it (OpenAI shape). Only `choices` is required;
 * every other field passes through as received.
 */
export const ChatCompletionResponseSchema = Type.Object({
  choices: Type.Array(Type.Unknown())
}, { additionalProperties: true, $id: 'ChatCompletionResponse' })

export type ChatCompletionResponse = Static<typeof ChatCompletionResponseSchema>
