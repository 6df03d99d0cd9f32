// The one reader of provider-reported usage, for JSON answers and SSE chunks alike. Providers
// are not trusted to send sane numbers: anything that is not a non-negative finite number reads
// as absent, and values are capped to what the integer columns hold.
import { frameData } from '@switchyard/sse'

export interface TokenUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
}

const maxInt32 = 2 ** 31 - 1

function count (value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined
  return Math.min(Math.round(value), maxInt32)
}

/**
 * Reads an OpenAI `usage` object (the `usage` field of a chat.completion or of a stream chunk).
 * Returns undefined for null/absent usage; an explicit `{ prompt_tokens: 0, ... }` is a real
 * report of zero and is returned as such.
 */
export function parseUsage (usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined
  const u = usage as Record<string, unknown>
  const prompt = count(u['prompt_tokens'])
  const completion = count(u['completion_tokens'])
  const total = count(u['total_tokens'])
  if (prompt === undefined && completion === undefined && total === undefined) return undefined
  const p = prompt ?? 0
  const c = completion ?? 0
  return { promptTokens: p, completionTokens: c, totalTokens: total ?? Math.min(p + c, maxInt32) }
}

/** Usage of a whole JSON answer (`chat.completion`), undefined when it carries none. */
export function usageOfJson (body: unknown): TokenUsage | undefined {
  return body !== null && typeof body === 'object' ? parseUsage((body as { usage?: unknown }).usage) : undefined
}

/** What one parsed stream chunk says about usage and failure. */
export interface ChunkFacts {
  usage: TokenUsage | undefined
  errorCode: string | undefined
  /** A chunk with `choices: []`: the final usage-only chunk. */
  usageOnly: boolean
}

/** Parses one SSE frame's JSON; undefined when it is not JSON (e.g. `[DONE]`). */
export function chunkFacts (frame: string): ChunkFacts | undefined {
  let parsed: { usage?: unknown, choices?: unknown, error?: { code?: unknown } } | null
  try { parsed = JSON.parse(frameData(frame)) } catch { return undefined }
  if (parsed === null || typeof parsed !== 'object') return undefined
  const code = parsed.error?.code
  return {
    usage: parseUsage(parsed.usage),
    errorCode: typeof code === 'string' ? code : undefined,
    usageOnly: Array.isArray(parsed.choices) && parsed.choices.length === 0
  }
}
