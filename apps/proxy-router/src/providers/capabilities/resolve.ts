import type { StatedCapabilities } from './schema.js'
import { chatModel, guessCapabilities, reasoningModel, type ModelCapabilities } from './table.js'

/**
 * The capabilities of one deployment, resolved once at boot. Precedence, weakest first: the
 * table's guess from the provider's model name; a stated `reasoning` (deployment over provider)
 * replaces that guess with the reasoning or chat preset; then the provider's explicit fields;
 * then the deployment's. So `gpt-5-chat` can be declared a chat model, a self-hosted reasoning
 * model with an unknown name a reasoning one, and an Ollama provider can say `max_tokens` once
 * for every deployment on it.
 */
export function resolveCapabilities (model: string, provider: StatedCapabilities = {}, deployment: StatedCapabilities = {}): ModelCapabilities {
  const reasoning = deployment.reasoning ?? provider.reasoning
  const base = reasoning === undefined ? guessCapabilities(model) : reasoning ? reasoningModel : chatModel
  return Object.freeze({ ...base, ...explicitFields(provider), ...explicitFields(deployment) })
}

/** The stated fields other than the `reasoning` preset. */
function explicitFields (stated: StatedCapabilities): Omit<StatedCapabilities, 'reasoning'> {
  const fields = { ...stated }
  delete fields.reasoning
  return fields
}
