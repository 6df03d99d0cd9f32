import { Type, type Static } from '@sinclair/typebox'

/**
 * `capabilities` as a routing table states them, on a provider (all its deployments) or on one
 * deployment. Every field is optional: what is not stated comes from the table's guess by model
 * name (table.ts). `reasoning` picks the whole preset; the other fields then adjust it.
 */
export const StatedCapabilitiesSchema = Type.Object({
  /** true: a reasoning model (max_completion_tokens, no sampling parameters, reasoning_effort). false: a chat model. */
  reasoning: Type.Optional(Type.Boolean()),
  /** "max_tokens" for servers that only know it (older vLLM, Ollama); "either" passes what the client sent. */
  maxTokensParam: Type.Optional(Type.Union([Type.Literal('max_tokens'), Type.Literal('max_completion_tokens'), Type.Literal('either')])),
  /** false drops temperature, top_p, presence_penalty and frequency_penalty. */
  sampling: Type.Optional(Type.Boolean()),
  /** false drops reasoning_effort. */
  reasoningEffort: Type.Optional(Type.Boolean())
}, { additionalProperties: false })

export type StatedCapabilities = Static<typeof StatedCapabilitiesSchema>
