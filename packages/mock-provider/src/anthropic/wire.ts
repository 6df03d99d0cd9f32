// Anthropic Messages API response shapes the mock sends (anthropic-version 2023-06-01).

export type ContentBlock =
  | { type: 'text', text: string }
  | { type: 'thinking', thinking: string, signature: string }
  | { type: 'tool_use', id: string, name: string, input: Record<string, unknown> }

export interface AnthropicUsage {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
}

export type StopReason = 'end_turn' | 'max_tokens' | 'tool_use'

export interface AnthropicMessage {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: ContentBlock[]
  stop_reason: StopReason | null
  stop_sequence: string | null
  usage: AnthropicUsage
}

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'

export interface AnthropicErrorBody {
  type: 'error'
  error: { type: AnthropicErrorType, message: string, details?: { error_code: string } }
  request_id?: string
}
