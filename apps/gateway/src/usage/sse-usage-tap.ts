import { frameData, SseRelay, type ErrorEventFor } from '@switchyard/sse'
import { countTextTokens } from './estimate-tokens.js'
import { chunkFacts, type TokenUsage } from './usage-parser.js'

export interface SseUsageTapOptions {
  /**
   * True when the client did not ask for `stream_options.include_usage`. The router always asks
   * providers for usage (docs/adr/0007), so for these clients the gateway hides the final
   * usage-only chunk and removes the `"usage":null` every other chunk then carries (OpenAI omits
   * the field unless asked). Clients that asked get the provider's bytes unchanged.
   */
  hideUsage: boolean
  /** The last event when the router's stream breaks (SseRelay); none by default. */
  errorEventFor?: ErrorEventFor
}

const usageKey = Buffer.from('"usage"')
const errorKey = Buffer.from('"error"')
/** The compact form OpenAI-compatible providers write: recognised and cut without decoding the frame. */
const compactUsageNull = Buffer.from('"usage":null')
const hasUsageObject = /"usage"\s*:\s*\{/
const hasError = /"error"\s*:/
const spacedUsageNull = /,\s*"usage"\s*:\s*null(?=\s*[,}])|"usage"\s*:\s*null\s*,\s*/
/** Relayed frames kept for an estimate; beyond this the count is extrapolated from the kept part. */
const maxKeptBytes = 1024 * 1024
const closeBrace = 0x7d
const comma = 0x2c

/**
 * Relays the router's OpenAI SSE stream event by event (it is an SseRelay: whole events only, one
 * final error event if the router's stream breaks) while reading the usage numbers and any
 * in-stream error code, in the same pass over the events.
 *
 * The hot path is a byte search per frame: only frames that mention `"usage"` or `"error"` are
 * decoded, and only those with a usage object or an error are JSON-parsed (one per stream).
 * Relayed frames are kept by reference, not parsed: the text generated so far is tokenized only
 * when an estimate is needed (the client left or the provider cut the stream before reporting
 * usage).
 */
export class SseUsageTap extends SseRelay {
  /** Usage the provider reported (an explicit zero included); undefined if none arrived. */
  usage: TokenUsage | undefined
  /** Code of an in-stream error event (the router explains provider failures this way). */
  errorCode: string | undefined
  /** `performance.now()` when the first byte went on to the client. */
  firstByteAt: number | undefined
  readonly #hideUsage: boolean
  readonly #kept: Buffer[] = []
  #keptBytes = 0
  #relayedBytes = 0

  constructor (options: SseUsageTapOptions) {
    super(options.errorEventFor ?? (() => undefined))
    this.#hideUsage = options.hideUsage
  }

  protected override relayFrame (frame: Buffer): Buffer | undefined {
    const relayed = this.#inspect(frame)
    if (relayed !== undefined) this.firstByteAt ??= performance.now()
    return relayed
  }

  /** Returns the bytes to relay for one frame, or undefined to drop it. */
  #inspect (frame: Buffer): Buffer | undefined {
    // The usual frame once usage is requested ends in `"usage":null`: found with one search, and
    // then only an error needs ruling out (two searches per frame, not three).
    const nullAt = frame.indexOf(compactUsageNull)
    const mentionsError = frame.indexOf(errorKey) !== -1
    if (nullAt !== -1 && !mentionsError) {
      // Every chunk but the last once usage is requested: nothing to read in it.
      if (!this.#hideUsage) return this.#keep(frame)
      const end = nullAt + compactUsageNull.length
      if (frame[nullAt - 1] === comma && (frame[end] === closeBrace || frame[end] === comma)) {
        return this.#keep(Buffer.concat([frame.subarray(0, nullAt - 1), frame.subarray(end)]))
      }
    }
    const mentionsUsage = nullAt !== -1 || frame.indexOf(usageKey) !== -1
    if (!mentionsUsage && !mentionsError) return this.#keep(frame)
    const text = frame.toString('utf8')
    if (hasUsageObject.test(text) || hasError.test(text)) {
      const facts = chunkFacts(text)
      if (facts?.errorCode !== undefined) this.errorCode = facts.errorCode
      if (facts?.usage !== undefined) {
        this.usage = facts.usage
        if (facts.usageOnly && this.#hideUsage) return undefined
      }
    }
    if (this.#hideUsage && mentionsUsage && spacedUsageNull.test(text)) {
      return this.#keep(Buffer.from(text.replace(spacedUsageNull, '')))
    }
    return this.#keep(frame)
  }

  #keep (frame: Buffer): Buffer {
    this.#relayedBytes += frame.length
    if (this.#keptBytes < maxKeptBytes) {
      this.#kept.push(frame)
      this.#keptBytes += frame.length
    }
    return frame
  }

  /**
   * Completion tokens of what was relayed so far (content, reasoning and tool-call arguments),
   * tokenized now. For accounting when the provider reported no usage.
   */
  estimateCompletionTokens (): number {
    let text = ''
    for (const frame of this.#kept) text += generatedText(frame)
    const tokens = countTextTokens(text)
    return this.#keptBytes >= this.#relayedBytes || this.#keptBytes === 0
      ? tokens
      : Math.ceil(tokens * (this.#relayedBytes / this.#keptBytes))
  }
}

interface ChunkDelta {
  content?: unknown
  reasoning_content?: unknown
  reasoning?: unknown
  tool_calls?: Array<{ function?: { arguments?: unknown } } | null>
  function_call?: { arguments?: unknown }
}

/** The text a chat.completion.chunk frame adds to the answer ('' for anything else). */
function generatedText (frame: Buffer): string {
  let chunk: { choices?: Array<{ delta?: ChunkDelta } | null> } | null
  try { chunk = JSON.parse(frameData(frame.toString('utf8'))) } catch { return '' }
  if (chunk === null || typeof chunk !== 'object' || !Array.isArray(chunk.choices)) return ''
  let text = ''
  for (const choice of chunk.choices) {
    const d = choice?.delta
    if (d === undefined || d === null) continue
    if (typeof d.content === 'string') text += d.content
    if (typeof d.reasoning_content === 'string') text += d.reasoning_content
    if (typeof d.reasoning === 'string') text += d.reasoning
    if (typeof d.function_call?.arguments === 'string') text += d.function_call.arguments
    if (Array.isArray(d.tool_calls)) {
      for (const call of d.tool_calls) {
        const args = call?.function?.arguments
        if (typeof args === 'string') text += args
      }
    }
  }
  return text
}
