/**
 * Per-request behaviour carried by the request itself, for a mock running in a process of its
 * own (the bench), where nobody can call `enqueue()`. Read from the body's `metadata` object
 * (OpenAI's own field: string values only) because that is the one place a request's wish
 * survives the gateway and the proxy-router unchanged — both forward the body as received and
 * send the provider only headers of their own. Honoured only when the mock was started with
 * `directives: true` (MOCK_PROVIDER_DIRECTIVES=true); otherwise `metadata` is ignored, as before.
 */
export interface RequestDirectives {
  /** Wait this long before the status line and headers (a provider that thinks for seconds). */
  delayMs?: number
  /** Streams: wait this long between two events (overrides chunkDelayMs). */
  chunkIntervalMs?: number
  /** The reply is this many words, i.e. this many completion tokens (before max_tokens cuts it). */
  completionTokens?: number
}

/** The metadata keys, as a client writes them. */
export const DIRECTIVE_KEYS = {
  delayMs: 'mock_delay_ms',
  chunkIntervalMs: 'mock_chunk_interval_ms',
  completionTokens: 'mock_completion_tokens'
} as const satisfies Record<keyof RequestDirectives, string>

/** Bounds that keep a mistyped directive from parking a request for hours or building a huge reply. */
const MAX_MS = 600_000
const MAX_TOKENS = 100_000

export class DirectiveError extends Error {
  constructor (readonly param: string, message: string) {
    super(message)
  }
}

function readInteger (metadata: Record<string, unknown>, key: string, max: number): number | undefined {
  const raw = metadata[key]
  if (raw === undefined) return undefined
  // OpenAI's metadata holds strings; a number is accepted too, it is what a bench would write.
  const text = typeof raw === 'number' ? String(raw) : raw
  if (typeof text !== 'string' || !/^\d+$/.test(text) || Number(text) > max) {
    throw new DirectiveError(`metadata.${key}`, `metadata.${key} must be an integer from 0 to ${max} (a mock provider directive)`)
  }
  return Number(text)
}

/** The directives of a request body (none when it has no `metadata` object); throws DirectiveError on a bad value. */
export function readDirectives (body: unknown): RequestDirectives {
  const metadata = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['metadata'] : undefined
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return {}
  const m = metadata as Record<string, unknown>
  const directives: RequestDirectives = {}
  const delayMs = readInteger(m, DIRECTIVE_KEYS.delayMs, MAX_MS)
  const chunkIntervalMs = readInteger(m, DIRECTIVE_KEYS.chunkIntervalMs, MAX_MS)
  const completionTokens = readInteger(m, DIRECTIVE_KEYS.completionTokens, MAX_TOKENS)
  if (delayMs !== undefined) directives.delayMs = delayMs
  if (chunkIntervalMs !== undefined) directives.chunkIntervalMs = chunkIntervalMs
  if (completionTokens !== undefined) directives.completionTokens = completionTokens
  return directives
}

/** A reply of exactly `words` words (`word1 word2 …`), so completion_tokens is known in advance. */
export function replyOfWords (words: number): string {
  return Array.from({ length: words }, (_, i) => `word${i + 1}`).join(' ')
}
