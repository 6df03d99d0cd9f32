import type { ProviderAdapter } from '../types.js'
import { parseAnthropicError } from './errors.js'
import { buildMessagesRequest } from './request.js'
import { parseMessagesResponse } from './response.js'
import { createAnthropicStream } from './stream.js'

/**
 * Anthropic's Messages API. Requests go to `<baseUrl>/messages` (baseUrl includes the version
 * path, as for the openai type: https://api.anthropic.com/v1) with `x-api-key` and
 * `anthropic-version: 2023-06-01`. Bodies, answers, streams and errors are translated to and from
 * the OpenAI shapes; what maps how is in docs/adr/0016-anthropic-provider.md.
 */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  buildRequest: (_op, body, deployment) => buildMessagesRequest(body, deployment),
  parseResponse: (_op, text) => parseMessagesResponse(text),
  parseError: parseAnthropicError,
  createStreamTransform: createAnthropicStream
}
