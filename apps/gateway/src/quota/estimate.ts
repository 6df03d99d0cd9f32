/**
 * Token estimates made before a request is forwarded, to reserve against token limits. Cheap on
 * purpose (no tokenizer on the hot path): the reservation is replaced by the provider's real
 * count when the answer is over, so the estimate only has to be in the right range.
 */

/** Characters per token of English text in OpenAI's tokenizers, the usual rule of thumb. */
const CHARS_PER_TOKEN = 4
/** Per-message overhead (role, separators), as OpenAI counts it. */
const TOKENS_PER_MESSAGE = 4

interface MessageLike { content?: unknown }

function textLength (content: unknown): number {
  if (typeof content === 'string') return content.length
  if (Array.isArray(content)) {
    let n = 0
    for (const part of content) {
      const text = (part as { text?: unknown } | null)?.text
      if (typeof text === 'string') n += text.length
    }
    return n
  }
  return 0
}

/** ceil(characters of the messages' text / 4) + 4 per message. */
export function estimatePromptTokens (messages: readonly MessageLike[]): number {
  let chars = 0
  for (const m of messages) chars += textLength(m.content)
  return Math.ceil(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * messages.length
}

/**
 * An embeddings `input`: ceil(characters of its texts / 4), plus the length of token arrays
 * (already tokens). No per-message overhead and no answer to reserve for.
 */
export function estimateInputTokens (input: unknown): number {
  const items: unknown[] = Array.isArray(input) ? input : [input]
  let chars = 0
  let tokens = 0
  for (const item of items) {
    if (typeof item === 'string') chars += item.length
    else if (typeof item === 'number') tokens += 1
    else if (Array.isArray(item)) tokens += item.length
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + tokens
}

/** The answer's bound the client asked for: `max_completion_tokens`, else the older `max_tokens`. */
export function requestedMaxTokens (body: { max_completion_tokens?: number | null, max_tokens?: number | null }): number | undefined {
  return body.max_completion_tokens ?? body.max_tokens ?? undefined
}
