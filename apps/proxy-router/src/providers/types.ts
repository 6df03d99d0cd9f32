import type { Readable } from 'node:stream'
import type { ModelCapabilities } from './capabilities/index.js'
import type { ChatCompletionRequest, ChatCompletionResponse } from '../schemas/chat-completion.js'
import type { EmbeddingsRequest, EmbeddingsResponse } from '../schemas/embeddings.js'

// The contract every provider folder implements (docs/architecture.md, "Where new code goes"). Adding a provider = a folder that
// exports a ProviderAdapter + one line in registry.ts. Adapters are pure: no I/O, no config
// reading; upstream/call-provider.ts does the HTTP call through the shared pool of the origin.

/**
 * A provider as adapters see it: where its pool connects, which path prefix, which key. Declared
 * here (not in routing/) so adapters depend on nothing but this file and the catalogue; the
 * routing table builds these and re-exports the types.
 */
export interface ProviderTarget {
  readonly id: string
  /** The routing table's `type`, validated against providers/registry.ts at boot. */
  readonly type: string
  readonly baseUrl: string
  /** scheme://host:port: one keep-alive pool is shared by every provider on the same origin. */
  readonly origin: string
  /** Path of baseUrl without a trailing slash ("" for the root), prefixed to every endpoint. */
  readonly basePath: string
  readonly apiKey: string | undefined
  /** Marked `optional` in the routing table (health: the system is healthy without it). */
  readonly optional?: boolean
}

/** What an adapter needs of a deployment: the provider and the model name that provider knows. */
export interface Deployment {
  readonly provider: ProviderTarget
  readonly model: string
  /** Parameters the model takes, resolved at boot (providers/capabilities). */
  readonly capabilities: ModelCapabilities
}

/** Operations the router proxies: what the client sends and what it gets back, both OpenAI-shaped. */
export interface Operations {
  'chat.completions': { request: ChatCompletionRequest, response: ChatCompletionResponse }
  embeddings: { request: EmbeddingsRequest, response: EmbeddingsResponse }
}

export type ProviderOperation = keyof Operations
export type OperationRequest<Op extends ProviderOperation = ProviderOperation> = Operations[Op]['request']
export type OperationResponse<Op extends ProviderOperation = ProviderOperation> = Operations[Op]['response']

/** Only chat completions stream; an embeddings body's `stream` (if any) is the provider's business. */
export function wantsStream (op: ProviderOperation, body: OperationRequest): boolean {
  return op === 'chat.completions' && (body as ChatCompletionRequest).stream === true
}

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
  /**
   * OpenAI-shaped client body → the provider's request for `deployment`. Throws
   * OPERATION_NOT_SUPPORTED for an operation the provider has no API for.
   */
  buildRequest: <Op extends ProviderOperation>(op: Op, body: OperationRequest<Op>, deployment: Deployment) => UpstreamRequest
  /**
   * True when a 2xx JSON body already is the OpenAI-shaped answer (parseResponse only checks it):
   * the router then relays the provider's bytes instead of serialising the parsed answer again.
   */
  readonly relaysJsonAnswer?: boolean
  /** A 2xx non-streaming body → the OpenAI-shaped answer of `op`. Throws when it is not one. */
  parseResponse: <Op extends ProviderOperation>(op: Op, text: string) => OperationResponse<Op>
  /** A non-2xx body → what it says (never throws; unknown shapes give an empty object). */
  parseError: (text: string) => ProviderErrorInfo
  /**
   * The provider's SSE body read as OpenAI chunks, per stream: a Readable that reads `body`
   * (failures of either side reach the other, as a pipe's would). Undefined = the provider
   * already speaks OpenAI SSE and bytes pass through untouched.
   */
  convertStream?: (deployment: Deployment, body: Readable) => Readable
}
