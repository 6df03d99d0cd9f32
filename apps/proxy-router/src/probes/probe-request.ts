import type { ProviderTarget } from '../providers/types.js'

// What a provider probe sends: the provider's authenticated model list, never a completion, so a
// probe costs no tokens and no money (docs/adr/0025). One function per routing-table `type`.

/** One GET on the provider's origin. */
export interface ProbeRequest {
  /** Absolute path on the origin, e.g. /v1/models. */
  path: string
  headers: Record<string, string>
}

const builders: Record<string, (p: ProviderTarget) => ProbeRequest> = {
  // OpenAI and every OpenAI-compatible server (OpenRouter, Ollama's /v1, vLLM): GET <baseUrl>/models.
  openai: (p) => {
    const headers: Record<string, string> = {}
    if (p.apiKey !== undefined) headers['authorization'] = `Bearer ${p.apiKey}`
    return { path: `${p.basePath}/models`, headers }
  },
  // Anthropic's List Models (GET /v1/models) takes the same headers as /v1/messages.
  anthropic: (p) => ({
    path: `${p.basePath}/models`,
    headers: { 'anthropic-version': '2023-06-01', ...(p.apiKey === undefined ? {} : { 'x-api-key': p.apiKey }) }
  })
}

/** The probe of `provider`, or undefined for a type with no zero-cost probe (reported "unknown"). */
export function probeRequestFor (provider: ProviderTarget): ProbeRequest | undefined {
  const build = Object.hasOwn(builders, provider.type) ? builders[provider.type] : undefined
  return build?.(provider)
}
