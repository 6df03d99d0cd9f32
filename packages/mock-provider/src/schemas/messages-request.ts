import { Type, type Static } from '@sinclair/typebox'

// The part of Anthropic's Messages request (POST /v1/messages) the mock reads. Other fields
// (temperature, metadata, stop_sequences, …) are accepted and ignored, and stay visible in the
// recorded request.

export const MessageBlockSchema = Type.Object({
  type: Type.String(),
  text: Type.Optional(Type.String())
}, { additionalProperties: true })

export const MessageParamSchema = Type.Object({
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
  content: Type.Union([Type.String(), Type.Array(MessageBlockSchema)])
}, { additionalProperties: true })

export const ToolSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  input_schema: Type.Object({}, { additionalProperties: true })
}, { additionalProperties: true })

export const ToolChoiceSchema = Type.Object({
  type: Type.Union([Type.Literal('auto'), Type.Literal('any'), Type.Literal('tool'), Type.Literal('none')]),
  name: Type.Optional(Type.String())
}, { additionalProperties: true })

export const MessagesRequestSchema = Type.Object({
  model: Type.String({ minLength: 1 }),
  max_tokens: Type.Integer({ minimum: 1 }),
  messages: Type.Array(MessageParamSchema),
  system: Type.Optional(Type.Union([Type.String(), Type.Array(MessageBlockSchema)])),
  stream: Type.Optional(Type.Boolean()),
  tools: Type.Optional(Type.Array(ToolSchema)),
  tool_choice: Type.Optional(ToolChoiceSchema),
  thinking: Type.Optional(Type.Object({ type: Type.String() }, { additionalProperties: true }))
}, { additionalProperties: true })

export type MessageParam = Static<typeof MessageParamSchema>
export type MessagesRequest = Static<typeof MessagesRequestSchema>
export type Tool = Static<typeof ToolSchema>
