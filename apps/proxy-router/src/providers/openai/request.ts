import type { ChatCompletionRequest } from '../../schemas/chat-completion.js'
import type { EmbeddingsRequest } from '../../schemas/embeddings.js'
import { applyCapabilities } from '../capabilities/index.js'
import type { Deployment, UpstreamRequest } from '../types.js'
import type { StreamOptions } from './types.js'

/** Joins the provider's base path (e.g. /api/v1) and an endpoint (e.g. /chat/completions). */
export function endpointPath (deployment: Deployment, endpoint: string): string {
  return `${deployment.provider.basePath}${endpoint}`
}

export function authHeaders (deployment: Deployment): Record<string, string> {
  const key = deployment.provider.apiKey
  return key === undefined ? {} : { authorization: `Bearer ${key}` }
}

/**
 * The client's body with the alias replaced by the deployment's model. Streams always ask for
 * usage (`include_usage: true` wins over the client's value) so every stream can be accounted;
 * the gateway hides the usage chunk from clients that did not ask for it (docs/adr/0007).
 * Non-streaming bodies are sent as received: OpenAI rejects stream_options without stream.
 * Parameters the model does not take are translated or dropped (providers/capabilities).
 */
export function buildChatCompletionBody (body: ChatCompletionRequest, deployment: Deployment): Record<string, unknown> {
  const upstream = applyCapabilities({ ...body, model: deployment.model }, deployment.capabilities)
  if (body.stream === true) {
    const clientOptions = (body as Record<string, unknown>)['stream_options']
    const options: StreamOptions = typeof clientOptions === 'object' && clientOptions !== null && !Array.isArray(clientOptions)
      ? clientOptions as StreamOptions
      : {}
    upstream['stream_options'] = { ...options, include_usage: true }
  }
  return upstream
}

export function buildChatCompletionRequest (body: ChatCompletionRequest, deployment: Deployment): UpstreamRequest {
  return {
    path: endpointPath(deployment, '/chat/completions'),
    headers: {
      'content-type': 'application/json',
      accept: body.stream === true ? 'text/event-stream' : 'application/json',
      ...authHeaders(deployment)
    },
    body: JSON.stringify(buildChatCompletionBody(body, deployment))
  }
}

/** The client's embeddings body with the alias replaced by the deployment's model, to `<basePath>/embeddings`. */
export function buildEmbeddingsRequest (body: EmbeddingsRequest, deployment: Deployment): UpstreamRequest {
  return {
    path: endpointPath(deployment, '/embeddings'),
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(deployment) },
    body: JSON.stringify({ ...body, model: deployment.model })
  }
}
