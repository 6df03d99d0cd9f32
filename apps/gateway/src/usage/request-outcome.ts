import { estimateInputTokens, estimatePromptTokens } from './estimate-tokens.js'
import type { TokenUsage } from './usage-parser.js'

/** What a streamed answer knows about its usage (the SSE tap). */
export interface StreamUsageSource {
  readonly usage: TokenUsage | undefined
  readonly errorCode: string | undefined
  readonly firstByteAt: number | undefined
  estimateCompletionTokens: () => number
}

/**
 * The accounting record of one request that reached the router. The route fills it as the answer
 * arrives; the accounting hooks turn it into one usage row when the response ends or the client
 * leaves (usage/accounting.ts). Fields are raw: sanitising happens when the row is built.
 */
export interface RequestOutcome {
  readonly startedAt: number
  readonly endpoint: 'chat.completions' | 'embeddings'
  readonly model: string
  readonly streamed: boolean
  /** The request's messages, kept for a prompt estimate when the provider reports none. */
  readonly messages: readonly unknown[]
  /** An embeddings request's `input`: the prompt estimate reads it instead of `messages`. */
  readonly input?: unknown
  provider?: string
  deployment?: string
  /** The router's x-switchyard-trace header, parsed only when the row is built (off the answer's path). */
  trace?: string
  /** Usage reported in a JSON answer. */
  usage?: TokenUsage
  /** The tap of a streamed answer, once the stream started. */
  stream?: StreamUsageSource
  /** Catalogue code of the failure the client was answered with. */
  errorCode?: string
  /** `performance.now()` when the answer's first byte was handed to the client. */
  firstByteAt?: number
  /** Set once the usage row is recorded: exactly one per request. */
  recorded: boolean
}

export type OutcomeStart = Pick<RequestOutcome, 'endpoint' | 'model' | 'streamed' | 'messages' | 'input'>

/** The prompt the provider was given, estimated: an embeddings input, or chat messages. */
const promptEstimate = (o: RequestOutcome): number => o.input !== undefined ? estimateInputTokens(o.input) : estimatePromptTokens(o.messages)

/** How the response ended, as the accounting hook saw it. */
export interface ResponseEnd {
  /** The response finished sending (false: the client left first). */
  finished: boolean
  /** The response's headers went out (a stream whose status line was sent). */
  headersSent: boolean
  statusCode: number
}

export interface SettledUsage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
  estimated: boolean
  statusCode: number
  errorCode: string | undefined
}

/** Not a catalogue code: marks rows of requests whose client left before the answer was complete. */
export const clientDisconnected = 'CLIENT_DISCONNECTED'

/**
 * Decides the tokens, status and error code of one request. Usage the provider reported always
 * wins, an explicit zero included. Without it: a stream that started is billed for the prompt
 * and the text relayed so far (estimated); a non-streamed request the client abandoned after it
 * reached the router is billed for its prompt (the provider had it; what it generated is
 * unknown); any other failure is billed nothing.
 */
export function settleOutcome (o: RequestOutcome, end: ResponseEnd): SettledUsage {
  const abandoned = !end.finished
  const statusCode = abandoned && !end.headersSent ? 499 : end.statusCode
  const errorCode = o.stream?.errorCode ?? o.errorCode ?? (abandoned ? clientDisconnected : undefined)
  const reported = o.stream?.usage ?? o.usage
  if (reported !== undefined) return { ...reported, estimated: false, statusCode, errorCode }
  let promptTokens = 0
  let completionTokens = 0
  if (o.stream !== undefined) {
    promptTokens = promptEstimate(o)
    completionTokens = o.stream.estimateCompletionTokens()
  } else if (abandoned) {
    promptTokens = promptEstimate(o)
  }
  const estimated = promptTokens + completionTokens > 0
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated, statusCode, errorCode }
}
