// Token estimates for answers the provider never reported usage for (a stream the client
// abandoned or the provider cut). gpt-tokenizer's o200k_base is exact for current OpenAI models
// and an estimate for every other model family (docs/adr/0018). Only called when an estimate is
// needed, never on the hot path of an answer that reported its usage.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base'

/** Text beyond this is extrapolated from the tokenized part: tokenizing blocks the event loop. */
const maxTokenizedChars = 256 * 1024
/** Per-message framing OpenAI adds around each message, and the priming of the reply. */
const tokensPerMessage = 3
const tokensForReplyPriming = 3
const plainText = { disallowedSpecial: new Set<string>() }

/** Tokens in `text`; text that looks like special tokens counts as plain text (clients send it). */
export function countTextTokens (text: string): number {
  if (text === '') return 0
  const sample = text.length > maxTokenizedChars ? text.slice(0, maxTokenizedChars) : text
  let tokens: number
  try {
    tokens = countTokens(sample, plainText)
  } catch {
    tokens = Math.ceil(sample.length / 4)
  }
  return sample === text ? tokens : Math.ceil(tokens * (text.length / sample.length))
}

/** The text parts of one message's `content` (a string or an array of typed parts). */
function contentText (content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  let text = ''
  for (const part of content) {
    const t = (part as { text?: unknown } | null)?.text
    if (typeof t === 'string') text += t
  }
  return text
}

/** Arguments of the tool calls an assistant message carries (they count as prompt text too). */
function toolCallText (toolCalls: unknown): string {
  if (!Array.isArray(toolCalls)) return ''
  let text = ''
  for (const call of toolCalls) {
    const fn = (call as { function?: { name?: unknown, arguments?: unknown } } | null)?.function
    if (typeof fn?.name === 'string') text += fn.name
    if (typeof fn?.arguments === 'string') text += fn.arguments
  }
  return text
}

/** Estimated prompt tokens of an OpenAI `messages` array. */
export function estimatePromptTokens (messages: readonly unknown[]): number {
  let text = ''
  for (const m of messages) {
    const msg = m as { role?: unknown, content?: unknown, name?: unknown, tool_calls?: unknown } | null
    if (msg === null || typeof msg !== 'object') continue
    if (typeof msg.role === 'string') text += msg.role + '\n'
    if (typeof msg.name === 'string') text += msg.name + '\n'
    text += contentText(msg.content)
    text += toolCallText(msg.tool_calls)
    text += '\n'
  }
  return countTextTokens(text) + tokensPerMessage * messages.length + tokensForReplyPriming
}

/**
 * Estimated tokens of an embeddings `input`: texts are tokenized, token arrays count their
 * length. No per-message framing: embeddings have none.
 */
export function estimateInputTokens (input: unknown): number {
  if (typeof input === 'string') return countTextTokens(input)
  if (!Array.isArray(input)) return 0
  let tokens = 0
  for (const item of input) {
    if (typeof item === 'string') tokens += countTextTokens(item)
    else if (typeof item === 'number') tokens += 1
    else if (Array.isArray(item)) tokens += item.length
  }
  return tokens
}
