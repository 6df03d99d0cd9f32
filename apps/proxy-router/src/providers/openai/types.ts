// Wire shapes of OpenAI-compatible servers (OpenAI, OpenRouter, Ollama /v1, vLLM), as far as the
// router reads them. Everything else passes through untouched.

/** `stream_options` of a chat request (OpenAI). */
export interface StreamOptions {
  include_usage?: boolean
  [key: string]: unknown
}

/**
 * Error bodies seen in the wild:
 *   OpenAI / Ollama: { error: { message, type, param, code } }
 *   OpenRouter:      { error: { message, code: 401, metadata?: { raw, provider_name } } }
 *   Ollama native:   { error: "message" }
 *   FastAPI-based:   { detail: "message" } or { message: "..." }
 */
export interface OpenAIErrorBody {
  error?: string | {
    message?: unknown
    type?: unknown
    code?: unknown
    param?: unknown
    metadata?: { raw?: unknown }
  }
  message?: unknown
  detail?: unknown
}
