import type { ChatMessage } from './schemas/chat-completion-request.js'

/**
 * The mock's tokenizer: one token per whitespace-separated word. Crude, but deterministic and
 * easy to predict in a test ("three words = three tokens"), and it makes a stream's content
 * chunks and its `completion_tokens` the same number, as with a real model.
 */
export function countTokens (text: string): number {
  return text.match(/\S+/g)?.length ?? 0
}

/** What OpenAI charges per message on top of its content (role and separators), roughly. */
export const TOKENS_PER_MESSAGE = 3

/** The text of a message: a string content, or its text parts joined by newlines. */
export function messageText (message: Pick<ChatMessage, 'content'>): string {
  const { content } = message
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('\n')
  return ''
}

/** `prompt_tokens` = Σ over messages of (TOKENS_PER_MESSAGE + countTokens(text of the message)). */
export function countPromptTokens (messages: ReadonlyArray<Pick<ChatMessage, 'content'>>): number {
  let total = 0
  for (const message of messages) total += TOKENS_PER_MESSAGE + countTokens(messageText(message))
  return total
}
