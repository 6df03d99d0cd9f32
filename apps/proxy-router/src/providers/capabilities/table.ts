// Which chat parameters a model takes, as one table instead of ifs scattered over the adapters.
// The router translates a client's OpenAI request into what the deployment's model accepts
// (apply.ts); a deployment can state its capabilities in the routing table, which wins over the
// guess made here from the model name (resolve.ts). docs/adr/0021-model-capabilities-table.md.

/** The parameter a server reads the output-token limit from. "either": pass as the client sent it. */
export type MaxTokensParam = 'max_tokens' | 'max_completion_tokens' | 'either'

export interface ModelCapabilities {
  /** A reasoning model (OpenAI o-series, gpt-5): shorthand for the three fields below in the routing table. */
  readonly reasoning: boolean
  /** Where the output-token limit goes; the other name is translated to it. */
  readonly maxTokensParam: MaxTokensParam
  /** Whether temperature, top_p, presence_penalty and frequency_penalty are accepted (else dropped). */
  readonly sampling: boolean
  /** Whether `reasoning_effort` is forwarded (else dropped). */
  readonly reasoningEffort: boolean
}

/** What a reasoning model takes: OpenAI answers 400 to `max_tokens` and to sampling parameters. */
export const reasoningModel: ModelCapabilities = Object.freeze({
  reasoning: true, maxTokensParam: 'max_completion_tokens', sampling: false, reasoningEffort: true
})

/** A known chat model that is not a reasoning model: OpenAI answers 400 to `reasoning_effort`. */
export const chatModel: ModelCapabilities = Object.freeze({
  reasoning: false, maxTokensParam: 'either', sampling: true, reasoningEffort: false
})

/**
 * A model the table does not know (Ollama, vLLM, OpenRouter's many hosts): nothing is changed,
 * the client's request goes as sent and the server decides.
 */
export const unknownModel: ModelCapabilities = Object.freeze({
  reasoning: false, maxTokensParam: 'either', sampling: true, reasoningEffort: true
})

export interface CapabilityRow {
  /** Matched against the model name without a vendor prefix ("openai/o3-mini" → "o3-mini"), lower case. */
  readonly pattern: RegExp
  readonly capabilities: ModelCapabilities
  /** Why, for the reader and for test names. */
  readonly note: string
}

/** First match wins, so exceptions come before their family. Dated snapshots match their family. */
export const capabilityTable: readonly CapabilityRow[] = Object.freeze([
  { pattern: /^gpt-5(\.\d+)?-chat(-|$)/, capabilities: chatModel, note: 'gpt-5-chat is the non-reasoning ChatGPT model' },
  { pattern: /^gpt-5(\.\d+)?(-|$)/, capabilities: reasoningModel, note: 'gpt-5 family (mini, nano, pro, codex, dated snapshots)' },
  { pattern: /^o1-(mini|preview)(-|$)/, capabilities: { ...reasoningModel, reasoningEffort: false }, note: 'o1-mini and o1-preview reject reasoning_effort' },
  { pattern: /^o[134](-|$)/, capabilities: reasoningModel, note: 'o1, o3, o4 and their -mini/-pro variants' },
  { pattern: /^(gpt-4|gpt-3\.5|chatgpt-)/, capabilities: chatModel, note: 'OpenAI chat models before gpt-5' }
].map((row) => Object.freeze(row)))

/** The table's guess for a model name (the provider's name for it, not the alias). */
export function guessCapabilities (model: string): ModelCapabilities {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase()
  return capabilityTable.find((row) => row.pattern.test(name))?.capabilities ?? unknownModel
}
