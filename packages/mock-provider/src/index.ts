export { createMockProvider, startMockProvider } from './provider.js'
export { faults, type RateLimitedOptions } from './faults/presets.js'
export { anthropicFaults } from './anthropic/faults.js'
export type { Fault, StatusFault, DelayHeadersFault, StallFault, DropFault, ChunkDelayFault, StreamErrorFault } from './faults/fault.js'
export { countTokens, countPromptTokens, TOKENS_PER_MESSAGE } from './tokens.js'
export { defaultReply, QUOTED_CHARS } from './reply.js'
export { DEFAULT_MODELS } from './app/build-app.js'
export { DEFAULT_EMBEDDING_DIMENSIONS } from './embedding-vector.js'
export type {
  MockProvider,
  MockProviderOptions,
  MockProviderStats,
  RecordedRequest,
  StartMockProviderOptions,
  StartedMockProvider
} from './types.js'
export type { ChatCompletionRequest, ChatMessage } from './schemas/chat-completion-request.js'
export type { EmbeddingsRequest } from './schemas/embeddings-request.js'
export type {
  ChatCompletion,
  ChatCompletionChunk,
  CompletionUsage,
  EmbeddingList,
  ModelList,
  ModelObject,
  OpenAIErrorBody
} from './openai/wire.js'
export type { OpenRouterErrorBody } from './openai/error-bodies.js'
export type { MessagesRequest } from './schemas/messages-request.js'
export type { AnthropicErrorBody, AnthropicMessage, AnthropicUsage } from './anthropic/wire.js'
export { DIRECTIVE_KEYS, type RequestDirectives } from './directives/request-directives.js'
export type { MockStatsBody } from './routes/mock-stats.js'
