import type { ChatCompletionResponse } from '../../schemas/chat-completion.js'
import type { AnthropicUsage, ContentBlock, MessagesResponse, StopReason } from './types.js'

// Anthropic message → OpenAI chat.completion. Shared with stream.ts: usage and stop reasons.

/** OpenAI `finish_reason` for an Anthropic `stop_reason` (unknown future reasons read as "stop"). */
export function finishReasonOf (reason: StopReason | null | undefined): string | null {
  switch (reason) {
    case null:
    case undefined:
      return null
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'refusal':
      return 'content_filter'
    default: // end_turn, stop_sequence, pause_turn
      return 'stop'
  }
}

export interface OpenAIUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number, cache_creation_tokens: number }
}

const n = (v: number | null | undefined): number => typeof v === 'number' && Number.isFinite(v) ? v : 0

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI's `prompt_tokens`
 * includes them. prompt = input + cache read + cache creation, so quotas bill every prompt token
 * the provider processed; the cached parts are itemised in `prompt_tokens_details`.
 */
export function usageOf (usage: AnthropicUsage): OpenAIUsage {
  const cacheRead = n(usage.cache_read_input_tokens)
  const cacheCreation = n(usage.cache_creation_input_tokens)
  const prompt = n(usage.input_tokens) + cacheRead + cacheCreation
  const completion = n(usage.output_tokens)
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_creation_tokens: cacheCreation }
  }
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

interface AssistantMessage {
  role: 'assistant'
  content: string | null
  reasoning_content?: string
  tool_calls?: Array<{ id: string, type: 'function', function: { name: string, arguments: string } }>
}

/**
 * Text blocks join into `content` (null when there are none, as OpenAI sends with tool calls);
 * tool_use blocks become `tool_calls` with the input re-serialised as the arguments string;
 * thinking blocks join into `reasoning_content` (docs/adr/0016). Redacted thinking and block
 * types this adapter does not know (server tools, future types) are left out.
 */
function messageOf (blocks: readonly ContentBlock[]): AssistantMessage {
  const text: string[] = []
  const reasoning: string[] = []
  const toolCalls: NonNullable<AssistantMessage['tool_calls']> = []
  for (const block of blocks) {
    if (block.type === 'text' && typeof block['text'] === 'string') text.push(block['text'])
    else if (block.type === 'thinking' && typeof block['thinking'] === 'string') reasoning.push(block['thinking'])
    else if (block.type === 'tool_use' && typeof block['id'] === 'string' && typeof block['name'] === 'string') {
      toolCalls.push({ id: block['id'], type: 'function', function: { name: block['name'], arguments: JSON.stringify(block['input'] ?? {}) } })
    }
  }
  const message: AssistantMessage = { role: 'assistant', content: text.length === 0 ? null : text.join('') }
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('')
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  return message
}

export function toChatCompletion (message: MessagesResponse, created = nowSeconds()): ChatCompletionResponse {
  const completion = {
    id: message.id,
    object: 'chat.completion',
    created,
    model: message.model,
    choices: [{ index: 0, message: messageOf(message.content), logprobs: null, finish_reason: finishReasonOf(message.stop_reason) }],
    usage: usageOf(message.usage ?? {})
  }
  return completion
}

/** A 2xx Messages body. Throws (→ PROVIDER_BAD_RESPONSE) for anything but a JSON message. */
export function parseMessagesResponse (text: string): ChatCompletionResponse {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || (parsed as { type?: unknown }).type !== 'message' ||
    !Array.isArray((parsed as { content?: unknown }).content)) {
    throw new TypeError('the body is JSON but not an Anthropic message (no type "message" with a "content" array)')
  }
  return toChatCompletion(parsed as MessagesResponse)
}
