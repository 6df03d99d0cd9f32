import type { ModelCapabilities } from './table.js'

/** Dropped for models that fix them (OpenAI reasoning models answer 400 to any of them). */
export const samplingParams = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty'] as const

/**
 * An OpenAI chat body → the same body in the parameters the deployment's model takes. Pure and
 * non-mutating. Translation, not refusal: an alias may fall back across models that differ here,
 * and SDKs send `temperature` or `max_tokens` by default, so a client cannot be expected to know
 * which deployment will serve it. Parameters that change the *shape* of an answer (`n`,
 * `logprobs`) are never dropped here. docs/adr/0021-model-capabilities-table.md.
 */
export function applyCapabilities (body: Record<string, unknown>, caps: ModelCapabilities): Record<string, unknown> {
  const out = { ...body }
  if (caps.maxTokensParam !== 'either') {
    const other = caps.maxTokensParam === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens'
    // When a client sent both, the name the server reads keeps its own value.
    if (Object.hasOwn(out, other)) {
      if (!Object.hasOwn(out, caps.maxTokensParam)) out[caps.maxTokensParam] = out[other]
      delete out[other]
    }
  }
  if (!caps.sampling) for (const param of samplingParams) delete out[param]
  if (!caps.reasoningEffort) delete out['reasoning_effort']
  return out
}
