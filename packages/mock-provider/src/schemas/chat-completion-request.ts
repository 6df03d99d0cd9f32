import { Type, type Static } from '@sinclair/typebox'

/** The roles OpenAI accepts; anything else is an `invalid_value` error there, so here too. */
export const MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const
export type MessageRole = typeof MESSAGE_ROLES[number]

// A plain `enum` (not a union of literals) so Ajv reports one `enum` error we can word like OpenAI.
const RoleSchema = Type.Unsafe<MessageRole>({ type: 'string', enum: [...MESSAGE_ROLES] })

export const ContentPartSchema = Type.Object({
  type: Type.String(),
  text: Type.Optional(Type.String())
})

export const ChatMessageSchema = Type.Object({
  role: RoleSchema,
  content: Type.Optional(Type.Union([Type.String(), Type.Array(ContentPartSchema), Type.Null()])),
  name: Type.Optional(Type.String())
})

const TokenLimit = Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]))

/**
 * The part of OpenAI's chat completion request the mock reads. Other fields (temperature, tools,
 * user, ...) are accepted and ignored, as a provider that does not implement them would; they are
 * still visible in the recorded request.
 */
export const ChatCompletionRequestSchema = Type.Object({
  model: Type.String(),
  messages: Type.Array(ChatMessageSchema, { minItems: 1 }),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  stream_options: Type.Optional(Type.Union([
    Type.Object({ include_usage: Type.Optional(Type.Boolean()) }),
    Type.Null()
  ])),
  max_tokens: TokenLimit,
  max_completion_tokens: TokenLimit
})

export type ChatMessage = Static<typeof ChatMessageSchema>
export type ChatCompletionRequest = Static<typeof ChatCompletionRequestSchema>
