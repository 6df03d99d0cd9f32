import type { ProviderAdapter } from '../types.js'
import { buildChatCompletionRequest } from './request.js'
import { parseChatCompletion, parseOpenAIError } from './response.js'

/**
 * Any OpenAI-compatible server: OpenAI itself, OpenRouter, Ollama's /v1, vLLM, LM Studio.
 * Requests go to `<baseUrl>/chat/completions` with `authorization: Bearer <key>` when the
 * provider has one; SSE already has the OpenAI shape, so there is no stream transform.
 */
export const openaiAdapter: ProviderAdapter = {
  type: 'openai',
  buildRequest: (_op, body, deployment) => buildChatCompletionRequest(body, deployment),
  parseResponse: (_op, text) => parseChatCompletion(text),
  parseError: parseOpenAIError
}
