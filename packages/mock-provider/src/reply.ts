import type { ChatCompletionRequest } from './schemas/chat-completion-request.js'
import { messageText } from './tokens.js'

/** How many characters of the last user message the default reply quotes. */
export const QUOTED_CHARS = 40

/** `Mock reply to: <first 40 chars of the last user message>` (trailing whitespace trimmed). */
export function defaultReply (request: Pick<ChatCompletionRequest, 'messages'>): string {
  const lastUser = request.messages.findLast((m) => m.role === 'user')
  const quoted = lastUser === undefined ? '' : messageText(lastUser).slice(0, QUOTED_CHARS)
  return `Mock reply to: ${quoted}`.trimEnd()
}

/**
 * Splits a reply into the pieces a stream sends: one per word, each carrying the whitespace
 * before it, so joining the pieces gives back the text exactly (minus trailing whitespace).
 * One piece = one completion token (see countTokens).
 */
export function replyPieces (text: string): string[] {
  return text.match(/\s*\S+/g) ?? []
}

export interface PlannedReply {
  pieces: string[]
  content: string
  finishReason: 'stop' | 'length'
}

/** Applies `max_completion_tokens` (or the older `max_tokens`): cut word-wise, finish with 'length'. */
export function planReply (text: string, limit: number | null | undefined): PlannedReply {
  const all = replyPieces(text)
  const cut = limit !== null && limit !== undefined && all.length > limit
  const pieces = cut ? all.slice(0, limit) : all
  return { pieces, content: pieces.join(''), finishReason: cut ? 'length' : 'stop' }
}
