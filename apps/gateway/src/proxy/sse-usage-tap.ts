import { Transform, type TransformCallback } from 'node:stream'

export interface StreamUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
}

export interface SseUsageTapOptions {
  /**
   * The router always asks providers for a final usage chunk (for accounting). Clients that did
   * not ask for `stream_options.include_usage` never see it: some parsers choke on `choices: []`.
   */
  hideUsageChunk: boolean
}

const eventBoundary = /\r?\n\r?\n/
const hasUsageObject = /"usage"\s*:\s*\{/
const hasError = /"error"\s*:/

/**
 * Passes an OpenAI SSE stream through event by event (each forwarded as soon as it is complete)
 * while reading the usage numbers and any in-stream error code for accounting. Only events that
 * mention a usage object or an error are JSON-parsed, so the hot path is a regex test per event.
 */
export class SseUsageTap extends Transform {
  usage: StreamUsage | undefined
  errorCode: string | undefined
  readonly #hideUsageChunk: boolean
  #buffer = ''

  constructor (options: SseUsageTapOptions) {
    super()
    this.#hideUsageChunk = options.hideUsageChunk
  }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#buffer += chunk.toString('utf8')
    let out = ''
    for (;;) {
      const match = eventBoundary.exec(this.#buffer)
      if (match === null) break
      const end = match.index + match[0].length
      const event = this.#buffer.slice(0, end)
      this.#buffer = this.#buffer.slice(end)
      if (this.#inspect(event)) out += event
    }
    callback(null, out === '' ? undefined : out)
  }

  override _flush (callback: TransformCallback): void {
    const rest = this.#buffer
    this.#buffer = ''
    callback(null, rest === '' || !this.#inspect(rest) ? undefined : rest)
  }

  /** Returns false for the event to be dropped. */
  #inspect (event: string): boolean {
    const wantsUsage = hasUsageObject.test(event)
    if (!wantsUsage && !hasError.test(event)) return true
    const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n')
    let parsed: { usage?: { prompt_tokens?: number, completion_tokens?: number, total_tokens?: number } | null, choices?: unknown[], error?: { code?: unknown } }
    try { parsed = JSON.parse(data) } catch { return true }
    if (typeof parsed.error?.code === 'string') this.errorCode = parsed.error.code
    const u = parsed.usage
    if (u !== null && u !== undefined && typeof u === 'object') {
      const prompt = u.prompt_tokens ?? 0
      const completion = u.completion_tokens ?? 0
      this.usage = { promptTokens: prompt, completionTokens: completion, totalTokens: u.total_tokens ?? prompt + completion }
      const usageOnly = Array.isArray(parsed.choices) && parsed.choices.length === 0
      if (usageOnly && this.#hideUsageChunk) return false
    }
    return true
  }
}
