/**
 * Ways the mock can misbehave. A fault is consumed by one request to `/v1/chat/completions`,
 * `/v1/embeddings` or `/v1/messages` (see MockProvider.enqueue / setDefaultFault). "Chunks" are the
 * SSE events of a stream, the first being the role chunk (Anthropic: message_start), so `afterChunks: 1` means "after the first byte of the
 * body reached the client".
 */
export type Fault = StatusFault | DelayHeadersFault | StallFault | DropFault | ChunkDelayFault | StreamErrorFault

/** Answer with this status, headers and body instead of the completion. */
export interface StatusFault {
  kind: 'status'
  status: number
  /**
   * A string is sent as is (e.g. an HTML 502 page, `text/plain` unless `headers` say otherwise);
   * anything else as JSON; omitted = an OpenAI-shaped error naming the status.
   */
  body?: unknown
  headers?: Record<string, string>
}

/** Wait `ms` before sending the status line and headers, then answer normally. */
export interface DelayHeadersFault {
  kind: 'delay-headers'
  ms: number
}

/**
 * Streaming: send the headers and `afterChunks` chunks, then nothing, ever (until the client
 * disconnects or the mock closes). Non-streaming: never answer at all.
 */
export interface StallFault {
  kind: 'stall'
  afterChunks: number
}

/**
 * Destroy the socket. Streaming with `afterChunks`: after the headers and that many chunks.
 * Otherwise (non-streaming, or no `afterChunks`): before any byte of the response.
 */
export interface DropFault {
  kind: 'drop'
  afterChunks?: number
}

/** Streaming: wait `ms` between chunks (overrides `chunkDelayMs`). No effect on other requests. */
export interface ChunkDelayFault {
  kind: 'chunk-delay'
  ms: number
}

/**
 * Streaming: answer 200, send `afterChunks` chunks, then the provider's in-stream error event for
 * `status` (default 529 on /v1/messages: Anthropic `event: error` overloaded_error; 500 on
 * chat/completions: `data: {"error":…}`) and end the response, without a final event or [DONE].
 * Non-streaming: answer `status` with the route's error body.
 */
export interface StreamErrorFault {
  kind: 'stream-error'
  afterChunks: number
  status?: number
}
