import {
  contextLengthExceededBody,
  insufficientQuotaBody,
  invalidApiKeyBody,
  rateLimitBody,
  serverErrorBody,
  userNotFoundBody
} from '../openai/error-bodies.js'
import type { ChunkDelayFault, DelayHeadersFault, DropFault, StallFault, StatusFault, StreamErrorFault } from './fault.js'

export interface RateLimitedOptions {
  /** Sent as `retry-after` (seconds, as OpenAI sends it). */
  retryAfterSeconds?: number
  /** Sent as `retry-after-ms` (as Azure OpenAI sends it, and the OpenAI SDKs prefer). */
  retryAfterMs?: number
}

/**
 * Ready-made faults. The `status` ones answer with the exact bodies (and headers) real providers
 * send, so a test of error classification exercises what production will see.
 */
export const faults = {
  /** Any status, body and headers (see StatusFault for how `body` is sent). */
  status (status: number, body?: unknown, headers?: Record<string, string>): StatusFault {
    return { kind: 'status', status, body, headers }
  },

  /**
   * OpenAI 429 `rate_limit_exceeded` with `x-ratelimit-*` headers and the retry hint: `retry-after`
   * and/or `retry-after-ms` exactly as given; neither given = `retry-after: 1`.
   */
  rateLimited (opts: RateLimitedOptions = {}): StatusFault {
    const { retryAfterMs } = opts
    const retryAfterSeconds = opts.retryAfterSeconds ?? (retryAfterMs === undefined ? 1 : undefined)
    const headers: Record<string, string> = {
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0'
    }
    let retryIn = ''
    if (retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(retryAfterSeconds)
      retryIn = `${retryAfterSeconds}s`
    }
    if (retryAfterMs !== undefined) {
      headers['retry-after-ms'] = String(retryAfterMs)
      retryIn = `${retryAfterMs}ms`
    }
    headers['x-ratelimit-reset-requests'] = retryIn
    return { kind: 'status', status: 429, body: rateLimitBody(retryIn), headers }
  },

  /** OpenAI 429 `insufficient_quota`: billing exhausted; a 429 that retrying never fixes. */
  insufficientQuota (): StatusFault {
    return { kind: 'status', status: 429, body: insufficientQuotaBody() }
  },

  /** OpenAI 401 `invalid_api_key`: the operator's provider key is wrong or revoked. */
  invalidApiKey (): StatusFault {
    return { kind: 'status', status: 401, body: invalidApiKeyBody() }
  },

  /** OpenRouter 401 `{"error":{"message":"User not found.","code":401}}`: revoked/unknown key. */
  userNotFound (): StatusFault {
    return { kind: 'status', status: 401, body: userNotFoundBody() }
  },

  /** OpenAI `server_error` body with the given 5xx status. */
  serverError (status = 500): StatusFault {
    return { kind: 'status', status, body: serverErrorBody() }
  },

  /** OpenAI 400 `context_length_exceeded`. */
  contextLengthExceeded (): StatusFault {
    return { kind: 'status', status: 400, body: contextLengthExceededBody() }
  },

  delayHeaders (ms: number): DelayHeadersFault {
    return { kind: 'delay-headers', ms }
  },

  stall (afterChunks = 0): StallFault {
    return { kind: 'stall', afterChunks }
  },

  drop (afterChunks?: number): DropFault {
    return afterChunks === undefined ? { kind: 'drop' } : { kind: 'drop', afterChunks }
  },

  chunkDelay (ms: number): ChunkDelayFault {
    return { kind: 'chunk-delay', ms }
  },

  /** Streaming: `afterChunks` chunks, then the protocol's in-stream error event for `status`, then the end. */
  streamError (afterChunks = 0, status?: number): StreamErrorFault {
    return status === undefined ? { kind: 'stream-error', afterChunks } : { kind: 'stream-error', afterChunks, status }
  }
}
