import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError, type Env } from '@switchyard/config'
import { resolveCapabilities, StatedCapabilitiesSchema } from '../providers/capabilities/index.js'
import { isProviderType, providerTypes } from '../providers/registry.js'
import type { Deployment, ProviderTarget } from '../providers/types.js'

export type { Deployment, ProviderTarget } from '../providers/types.js'

// The routing table file (ROUTES_FILE): which providers exist and which ordered list of
// deployments serves each public model alias. Keys are never in the file: `apiKeyEnv` names the
// environment variable that holds one.

const EnvVarName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })

export const ProviderEntrySchema = Type.Object({
  /** Adapter type (providers/registry.ts), e.g. "openai" for any OpenAI-compatible server. */
  type: Type.String({ minLength: 1 }),
  /** API root including its version path, e.g. https://api.openai.com/v1. */
  baseUrl: Type.String({ minLength: 1 }),
  /** Name of the env var holding this provider's API key; omit for keyless servers (local Ollama). */
  apiKeyEnv: Type.Optional(EnvVarName),
  /**
   * With `apiKeyEnv` unset in the environment: skip this provider's deployments (aliases left with
   * none are not served) instead of stopping the boot. Default false.
   */
  optional: Type.Optional(Type.Boolean()),
  /** What every deployment on this provider accepts (e.g. maxTokensParam "max_tokens" for Ollama, vLLM). */
  capabilities: Type.Optional(StatedCapabilitiesSchema)
}, { additionalProperties: false })

export const DeploymentEntrySchema = Type.Object({
  /** Any provider of the table: an alias may fall back across providers (OpenRouter → local Ollama). */
  provider: Type.String({ minLength: 1 }),
  /** The model name the provider knows (sent upstream in place of the alias). */
  model: Type.String({ minLength: 1 }),
  /**
   * Lower is tried first. Default: the deployment's position in the list, so list order is the
   * priority. Give it to every deployment of an alias or to none.
   */
  priority: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Share of traffic among deployments of equal priority (default 1). */
  weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** What this deployment's model accepts; wins over the provider's and the guess from the model name. */
  capabilities: Type.Optional(StatedCapabilitiesSchema)
}, { additionalProperties: false })

export const RoutingTableFileSchema = Type.Object({
  providers: Type.Record(Type.String({ pattern: '^\\S+$' }), ProviderEntrySchema),
  /** Alias → deployments in order of preference (fallbacks go down the list). */
  models: Type.Record(Type.String({ pattern: '^\\S+$' }), Type.Array(DeploymentEntrySchema, { minItems: 1 }))
}, { additionalProperties: false })

export type RoutingTableFile = Static<typeof RoutingTableFileSchema>
type ProviderEntry = Static<typeof ProviderEntrySchema>

/** A deployment as routing sees it: the adapter's view plus what planning needs. */
export interface RoutedDeployment extends Deployment {
  /**
   * `provider/model`: unique within an alias, the key of its cooldown state, and what clients
   * see in x-switchyard-deployment and details.attempts (the same facts x-switchyard-provider
   * and x-switchyard-model state; never a host).
   */
  readonly id: string
  readonly priority: number
  readonly weight: number
}

/** An `optional` provider left out because its key variable is unset (logged once at boot). */
export interface SkippedProvider {
  readonly id: string
  /** The variable's name (never its value: it has none). */
  readonly apiKeyEnv: string
}

export interface RoutingTable {
  /** The providers in use; skipped ones are not here. */
  readonly providers: ReadonlyMap<string, ProviderTarget>
  /**
   * Alias → deployments in the file's order (never empty). Insertion order = the file's order.
   * Only what is routable: deployments on skipped providers are dropped, and an alias left with
   * none is absent (not listed, 404 MODEL_NOT_FOUND).
   */
  readonly models: ReadonlyMap<string, readonly RoutedDeployment[]>
  readonly skippedProviders: readonly SkippedProvider[]
}

const invalid = (message: string) => new ConfigError(`Invalid routing table: ${message}`)

function parseBaseUrl (id: string, baseUrl: string): { origin: string, basePath: string } {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw invalid(`provider "${id}" has a bad baseUrl "${baseUrl}" (not an absolute URL)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`provider "${id}" has a bad baseUrl "${baseUrl}" (only http: and https: are supported)`)
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw invalid(`provider "${id}" has a bad baseUrl "${baseUrl}" (no query, fragment or credentials; keys go in apiKeyEnv)`)
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') }
}

/** The key, undefined for keyless providers, or null for an `optional` provider whose variable is unset. */
function readApiKey (id: string, entry: ProviderEntry, env: Env): string | undefined | null {
  const { apiKeyEnv } = entry
  if (apiKeyEnv === undefined) return undefined
  const key = env[apiKeyEnv]
  if (key === undefined || key === '') {
    if (entry.optional === true) return null
    throw invalid(`provider "${id}" reads its API key from ${apiKeyEnv}, which is not set (mark the provider "optional": true to skip it instead)`)
  }
  return key
}

/**
 * Validates a parsed routing table file and resolves it against the environment (API keys).
 * Pure apart from reading `env`; every problem is a ConfigError naming the provider or model, so
 * a bad file stops the boot instead of failing requests later.
 */
export function parseRoutingTable (json: unknown, env: Env): RoutingTable {
  const first = Value.Errors(RoutingTableFileSchema, json).First()
  if (first !== undefined) {
    throw invalid(`${first.path === '' ? '(root)' : first.path}: ${first.message}`)
  }
  const file = json as RoutingTableFile

  const providers = new Map<string, ProviderTarget>()
  const skippedProviders: SkippedProvider[] = []
  for (const [id, entry] of Object.entries(file.providers)) {
    if (!isProviderType(entry.type)) {
      throw invalid(`provider "${id}" has unknown type "${entry.type}" (known: ${providerTypes.join(', ')})`)
    }
    // Validated even when skipped: setting the key later must not reveal a broken entry.
    const location = parseBaseUrl(id, entry.baseUrl)
    const apiKey = readApiKey(id, entry, env)
    if (apiKey === null) {
      skippedProviders.push(Object.freeze({ id, apiKeyEnv: entry.apiKeyEnv ?? '' }))
      continue
    }
    providers.set(id, Object.freeze({ id, type: entry.type, baseUrl: entry.baseUrl, ...location, apiKey, optional: entry.optional === true }))
  }
  const skipped = new Set(skippedProviders.map((p) => p.id))

  const models = new Map<string, readonly RoutedDeployment[]>()
  for (const [alias, entries] of Object.entries(file.models)) {
    const withPriority = entries.filter((entry) => entry.priority !== undefined).length
    if (withPriority !== 0 && withPriority !== entries.length) {
      throw invalid(`model "${alias}" gives "priority" to ${withPriority} of its ${entries.length} deployments (give it to all or to none)`)
    }
    const ids = new Set<string>()
    const deployments: RoutedDeployment[] = []
    entries.forEach((entry, i) => {
      const id = `${entry.provider}/${entry.model}`
      if (ids.has(id)) throw invalid(`model "${alias}" lists deployment "${id}" twice`)
      ids.add(id)
      if (skipped.has(entry.provider)) return
      const provider = providers.get(entry.provider)
      if (provider === undefined) {
        throw invalid(`model "${alias}" deployment ${i} names unknown provider "${entry.provider}" (known: ${Object.keys(file.providers).join(', ') || 'none'})`)
      }
      const capabilities = resolveCapabilities(entry.model, file.providers[entry.provider]?.capabilities, entry.capabilities)
      deployments.push(Object.freeze({ id, provider, model: entry.model, capabilities, priority: entry.priority ?? i, weight: entry.weight ?? 1 }))
    })
    if (deployments.length > 0) models.set(alias, Object.freeze(deployments))
  }
  return Object.freeze({ providers, models, skippedProviders: Object.freeze(skippedProviders) })
}
