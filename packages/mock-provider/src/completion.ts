import { SYSTEM_FINGERPRINT } from './ids.js'
import type { ChatCompletion, ChatCompletionChunk, CompletionUsage } from './openai/wire.js'
import type { PlannedReply } from './reply.js'

export function buildUsage (promptTokens: number, completionTokens: number): CompletionUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
  }
}

export interface CompletionMeta {
  id: string
  created: number
  model: string
  promptTokens: number
}

/** The non-streaming `chat.completion` object. */
export function buildCompletion (meta: CompletionMeta, reply: PlannedReply): ChatCompletion {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{
      index: 0,
      message: { role: 'assistant', content: reply.content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: reply.finishReason
    }],
    usage: buildUsage(meta.promptTokens, reply.pieces.length),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT
  }
}

/**
 * Every chunk of a stream, in order, as OpenAI sends them: a role chunk (`content: ""`), one
 * chunk per word, a chunk with `finish_reason`, and — only with `include_usage` — a last chunk
 * with `choices: []` and the usage (every other chunk then carries `usage: null`).
 * `data: [DONE]` is not a chunk; the SSE writer adds it.
 */
export function buildChunks (meta: CompletionMeta, reply: PlannedReply, includeUsage: boolean): ChatCompletionChunk[] {
  const chunk = (choice: ChatCompletionChunk['choices'][number] | undefined): ChatCompletionChunk => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: choice === undefined ? [] : [choice],
    ...(includeUsage ? { usage: null } : {})
  })
  const chunks = [chunk({ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null })]
  for (const piece of reply.pieces) {
    chunks.push(chunk({ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }))
  }
  chunks.push(chunk({ index: 0, delta: {}, logprobs: null, finish_reason: reply.finishReason }))
  if (includeUsage) chunks.push({ ...chunk(undefined), usage: buildUsage(meta.promptTokens, reply.pieces.length) })
  return chunks
}
