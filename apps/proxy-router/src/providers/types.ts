import type { Transform } from 'node:stream'
import type { Deployment } from '../routing/routing-table.js'
import type { ChatCompletionRequest, ChatCompletionResponse } from '../schemas/chat-completion.js'

// The contract every provider folder implements (docs/architecture.md, "Where new code goes"). Adding a provider = a folder that
// exports a ProviderAdapter + one line in registry.ts. Adapters are pure: no I/O, no config
// reading; the route does the HTTP call through the shared pool of the provider's origin.

/** Operations the router proxies. Embeddings join here later. */
export type ProviderOperation = 'chat.completions'

/** One HTTP request to send to the provider's pool (origin comes from the deployment). */
export interface UpstreamRequest {
  /** Absolute path on the provider origin, e.g. /v1/chat/completions. */
  path: string
  headers: Record<string, string>
  body: string
}

/** The facts of a provider error body that classification needs, whatever the provider's shape. */
export interface ProviderErrorInfo {
  message?: string
  /** Provider error code, e.g. "insufficient_quota", "invalid_api_key", "context_length_exceeded". */
  code?: string
  /** Provider error type, e.g. "insufficient_quota", "invalid_request_error". */
  type?: string
  /** Text of an error the provider wrapped (OpenRouter's `metadata.raw` from the model host). */
  nested?: string
}

export interface ProviderAdapter {
  /** The `type` routing-table entries use to select this adapter. */
  readonly type: string
  /** OpenAI-shaped client body → the provider's request for `deployment`. */
  buildRequest: (op: ProviderOperation, body: ChatCompletionRequest, deployment: Deployment) => UpstreamRequest
  /** A 2xx non-streaming body → the OpenAI-shaped completion. Throws when it is not one. */
  parseResponse: (op: ProviderOperation, text: string) => ChatCompletionResponse
  /** A non-2xx body → what it says (never throws; unknown shapes give an empty object). */
  parseError: (text: string) => ProviderErrorInfo
  /**
   * Per-stream transform from the provider's SSE to OpenAI chunks. Undefined = the provider
   * already speaks OpenAI SSE and bytes pass through untouched.
   */
  createStreamTransform?: (deployment: Deployment) => Transform
}
