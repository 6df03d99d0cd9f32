import type { ChatCompletionResponse } from '../../schemas/chat-completion.js'
import type { EmbeddingsResponse } from '../../schemas/embeddings.js'
import type { ProviderErrorInfo } from '../types.js'
import type { OpenAIErrorBody } from './types.js'

/** A 2xx completion body. Throws (→ PROVIDER_BAD_RESPONSE) for anything but a JSON completion. */
export function parseChatCompletion (text: string): ChatCompletionResponse {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { choices?: unknown }).choices)) {
    throw new TypeError('the body is JSON but not a chat completion (no "choices" array)')
  }
  return parsed as ChatCompletionResponse
}

/** A 2xx embeddings body. Throws (→ PROVIDER_BAD_RESPONSE) for anything but a JSON embedding list. */
export function parseEmbeddings (text: string): EmbeddingsResponse {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { data?: unknown }).data)) {
    throw new TypeError('the body is JSON but not an embedding list (no "data" array)')
  }
  return parsed as EmbeddingsResponse
}

const str = (v: unknown): string | undefined => {
  if (typeof v === 'string' && v !== '') return v
  if (typeof v === 'number') return String(v)
  return undefined
}

/** Reads the error body shapes OpenAI-compatible servers send (see types.ts); never throws. */
export function parseOpenAIError (text: string): ProviderErrorInfo {
  let body: OpenAIErrorBody
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null) return {}
    body = parsed as OpenAIErrorBody
  } catch {
    return {}
  }
  const inner = body.error
  if (typeof inner === 'string') return { message: inner }
  if (typeof inner === 'object' && inner !== null) {
    const info: ProviderErrorInfo = {}
    const message = str(inner.message)
    const code = str(inner.code)
    const type = str(inner.type)
    const nested = str(inner.metadata?.raw)
    if (message !== undefined) info.message = message
    if (code !== undefined) info.code = code
    if (type !== undefined) info.type = type
    if (nested !== undefined) info.nested = nested
    return info
  }
  const message = str(body.message) ?? str(body.detail)
  return message === undefined ? {} : { message }
}
