// Wire shapes of Anthropic's Messages API (POST /v1/messages, anthropic-version 2023-06-01), as
// far as the router writes or reads them. Anthropic adds fields and block/event types over time
// under the same version, so readers treat every unknown type as "ignore", never as an error.

export const ANTHROPIC_VERSION = '2023-06-01'

// ---- request -------------------------------------------------------------------------------

export interface TextBlockParam {
  type: 'text'
  text: string
}

export type ImageSource =
  | { type: 'base64', media_type: string, data: string }
  | { type: 'url', url: string }

export interface ImageBlockParam {
  type: 'image'
  source: ImageSource
}

export interface ToolUseBlockParam {
  type: 'tool_use'
  id: string
  name: string
  input: unknown
}

export interface ToolResultBlockParam {
  type: 'tool_result'
  tool_use_id: string
  content?: string | Array<TextBlockParam | ImageBlockParam>
  is_error?: boolean
}

export type UserBlockParam = TextBlockParam | ImageBlockParam | ToolResultBlockParam
export type AssistantBlockParam = TextBlockParam | ToolUseBlockParam

export type MessageParam =
  | { role: 'user', content: UserBlockParam[] }
  | { role: 'assistant', content: AssistantBlockParam[] }

export interface ToolParam {
  name: string
  description?: string
  input_schema: unknown
}

export type ToolChoiceParam =
  | { type: 'auto', disable_parallel_tool_use?: boolean }
  | { type: 'any', disable_parallel_tool_use?: boolean }
  | { type: 'tool', name: string, disable_parallel_tool_use?: boolean }
  | { type: 'none' }

export interface MessagesRequest {
  model: string
  max_tokens: number
  messages: MessageParam[]
  system?: string | TextBlockParam[]
  stop_sequences?: string[]
  temperature?: number
  top_p?: number
  top_k?: number
  stream?: boolean
  tools?: ToolParam[]
  tool_choice?: ToolChoiceParam
  metadata?: { user_id?: string }
  /** Extended thinking, passed through as the client sent it (see docs/adr/0016). */
  thinking?: unknown
}

// ---- response ------------------------------------------------------------------------------

export interface AnthropicUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | string

/** Response content blocks; `type` is open-ended (server tools, citations, …). */
export type ContentBlock =
  | { type: 'text', text: string }
  | { type: 'tool_use', id: string, name: string, input: unknown }
  | { type: 'thinking', thinking: string, signature?: string }
  | { type: 'redacted_thinking', data: string }
  | { type: string, [key: string]: unknown }

export interface MessagesResponse {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: ContentBlock[]
  stop_reason: StopReason | null
  stop_sequence?: string | null
  usage: AnthropicUsage
}

// ---- streaming -----------------------------------------------------------------------------

export type ContentBlockDelta =
  | { type: 'text_delta', text: string }
  | { type: 'input_json_delta', partial_json: string }
  | { type: 'thinking_delta', thinking: string }
  | { type: 'signature_delta', signature: string }
  | { type: string, [key: string]: unknown }

export type StreamEvent =
  | { type: 'message_start', message: MessagesResponse }
  | { type: 'content_block_start', index: number, content_block: ContentBlock }
  | { type: 'content_block_delta', index: number, delta: ContentBlockDelta }
  | { type: 'content_block_stop', index: number }
  | { type: 'message_delta', delta: { stop_reason?: StopReason | null, stop_sequence?: string | null }, usage?: AnthropicUsage }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error', error: AnthropicErrorObject }

// ---- errors --------------------------------------------------------------------------------

/**
 * `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_…"}`.
 * Known types: invalid_request_error 400, authentication_error 401, billing_error 402,
 * permission_error 403, not_found_error 404, request_too_large 413, rate_limit_error 429,
 * api_error 500, timeout_error 504, overloaded_error 529. Spend limits arrive as 429
 * rate_limit_error with `details.error_code`.
 */
export interface AnthropicErrorObject {
  type?: unknown
  message?: unknown
  details?: { error_code?: unknown } | null
}

export interface AnthropicErrorBody {
  type?: unknown
  error?: AnthropicErrorObject
  request_id?: unknown
}
