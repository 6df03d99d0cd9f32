import type { ChatCompletionRequest } from '../../schemas/chat-completion.js'
import type { EmbeddingsRequest } from '../../schemas/embeddings.js'
import type { OperationResponse, ProviderAdapter } from '../types.js'
import { buildChatCompletionRequest, buildEmbeddingsRequest } from './request.js'
import { parseChatCompletion, parseEmbeddings, parseOpenAIError } from './response.js'

/**
 * Any OpenAI-compatible server: OpenAI itself, OpenRouter, Ollama's /v1, vLLM, LM Studio.
 * Requests go to `<baseUrl>/chat/completions` or `<baseUrl>/embeddings` with
 * `authorization: Bearer <key>` when the provider has one; SSE already has the OpenAI shape, so
 * there is no stream transform.
 */
export const openaiAdapter: ProviderAdapter = {
  type: 'openai',
  relaysJsonAnswer: true,
  // The casts: TypeScript does not narrow a generic body by its `op`; the op decides the shape.
  buildRequest: (op, body, deployment) => op === 'embeddings'
    ? buildEmbeddingsRequest(body as EmbeddingsRequest, deployment)
    : buildChatCompletionRequest(body as ChatCompletionRequest, deployment),
  parseResponse: <Op extends 'chat.completions' | 'embeddings'>(op: Op, text: string) => (op === 'embeddings'
    ? parseEmbeddings(text)
    : parseChatCompletion(text)) as OperationResponse<Op>,
  parseError: parseOpenAIError
}
