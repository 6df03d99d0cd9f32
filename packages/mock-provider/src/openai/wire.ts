// OpenAI wire types for what the mock sends, field for field (including the always-null and
// always-zero fields real responses carry, so clients parse the mock exactly as they parse OpenAI).

export interface OpenAIErrorBody {
  error: {
    message: string
    type: string
    param: string | null
    code: string | null
  }
}

export interface CompletionUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number, audio_tokens: number }
  completion_tokens_details: {
    reasoning_tokens: number
    audio_tokens: number
    accepted_prediction_tokens: number
    rejected_prediction_tokens: number
  }
}

export type FinishReason = 'stop' | 'length'

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: Array<{
    index: number
    message: { role: 'assistant', content: string, refusal: null, annotations: [] }
    logprobs: null
    finish_reason: FinishReason
  }>
  usage: CompletionUsage
  service_tier: 'default'
  system_fingerprint: string
}

export interface ChatCompletionChunkDelta {
  role?: 'assistant'
  content?: string
  refusal?: null
}

export interface ChatCompletionChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  service_tier: 'default'
  system_fingerprint: string
  choices: Array<{
    index: number
    delta: ChatCompletionChunkDelta
    logprobs: null
    finish_reason: FinishReason | null
  }>
  /** Present only when the request set `stream_options.include_usage`: null on every chunk but the last. */
  usage?: CompletionUsage | null
}

export interface ModelObject {
  id: string
  object: 'model'
  created: number
  owned_by: string
}

export interface ModelList {
  object: 'list'
  data: ModelObject[]
}

export interface EmbeddingList {
  object: 'list'
  data: Array<{ object: 'embedding', index: number, embedding: number[] | string }>
  model: string
  usage: { prompt_tokens: number, total_tokens: number }
}
