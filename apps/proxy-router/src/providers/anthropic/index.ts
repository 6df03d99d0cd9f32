import { SwitchyardError } from '@switchyard/errors'
import type { ChatCompletionRequest } from '../../schemas/chat-completion.js'
import type { OperationResponse, ProviderAdapter, ProviderOperation } from '../types.js'
import { parseAnthropicError } from './errors.js'
import { buildMessagesRequest } from './request.js'
import { parseMessagesResponse } from './response.js'
import { convertAnthropicStream } from './stream.js'

/**
 * Anthropic's Messages API. Requests go to `<baseUrl>/messages` (baseUrl includes the version
 * path, as for the openai type: https://api.anthropic.com/v1) with `x-api-key` and
 * `anthropic-version: 2023-06-01`. Bodies, answers, streams and errors are translated to and from
 * the OpenAI shapes; what maps how is in docs/adr/0016-anthropic-provider.md.
 */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  buildRequest: (op, body, deployment) => {
    // Anthropic has no embeddings API: refused before any call, so a fallback can serve it.
    if (op !== 'chat.completions') throw new SwitchyardError('OPERATION_NOT_SUPPORTED', { details: { provider: deployment.provider.id, operation: op } })
    return buildMessagesRequest(body as ChatCompletionRequest, deployment)
  },
  parseResponse: <Op extends ProviderOperation>(_op: Op, text: string) => parseMessagesResponse(text) as OperationResponse<Op>,
  parseError: parseAnthropicError,
  convertStream: convertAnthropicStream
}
