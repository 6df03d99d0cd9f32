import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError, type Env } from '@switchyard/config'
import { resolveCapabilities, StatedCapabilitiesSchema, type ModelCapabilities } from '../providers/capabilities/index.js'
import { isProviderType, providerTypes, type ProviderType } from '../providers/registry.js'

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
  /** What every deployment on this provider accepts (e.g. maxTokensParam "max_tokens" for Ollama, vLLM). */
  capabilities: Type.Optional(StatedCapabilitiesSchema)
}, { additionalProperties: false })

export const DeploymentEntrySchema = Type.Object({
  provider: Type.String({ minLength: 1 }),
  /** The model name the provider knows (sent upstream in place of the alias). */
  model: Type.String({ minLength: 1 }),
  /** What this deployment's model accepts; wins over the provider's and the guess from the model name. */
  capabilities: Type.Optional(StatedCapabilitiesSchema)
}, { additionalProperties: false })

export const RoutingTableFileSchema = Type.Object({
  providers: Type.Record(Type.String({ pattern: '^\\S+$' }), ProviderEntrySchema),
  /** Alias → deployments in order of preference (today only the first is called). */
  models: Type.Record(Type.String({ pattern: '^\\S+$' }), Type.Array(DeploymentEntrySchema, { minItems: 1 }))
}, { additionalProperties: false })

export type RoutingTableFile = Static<typeof RoutingTableFileSchema>

/** A provider ready to call: where its pool connects, which path prefix, which key. */
export interface ProviderTarget {
  readonly id: string
  readonly type: ProviderType
  readonly baseUrl: string
  /** scheme://host:port: one keep-alive pool is shared by every provider on the same origin. */
  readonly origin: string
  /** Path of baseUrl without a trailing slash ("" for the root), prefixed to every endpoint. */
  readonly basePath: string
  readonly apiKey: string | undefined
}

export interface Deployment {
  readonly provider: ProviderTarget
  readonly model: string
  /** Parameters the model takes, resolved at boot (providers/capabilities). */
  readonly capabilities: ModelCapabilities
}

export interface RoutingTable {
  readonly providers: ReadonlyMap<string, ProviderTarget>
  /** Alias → ordered deployments (never empty). Insertion order = the file's order. */
  readonly models: ReadonlyMap<string, readonly Deployment[]>
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

function readApiKey (id: string, apiKeyEnv: string | undefined, env: Env): string | undefined {
  if (apiKeyEnv === undefined) return undefined
  const key = env[apiKeyEnv]
  if (key === undefined || key === '') {
    throw invalid(`provider "${id}" reads its API key from ${apiKeyEnv}, which is not set`)
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
  for (const [id, entry] of Object.entries(file.providers)) {
    if (!isProviderType(entry.type)) {
      throw invalid(`provider "${id}" has unknown type "${entry.type}" (known: ${providerTypes.join(', ')})`)
    }
    providers.set(id, Object.freeze({
      id,
      type: entry.type,
      baseUrl: entry.baseUrl,
      ...parseBaseUrl(id, entry.baseUrl),
      apiKey: readApiKey(id, entry.apiKeyEnv, env)
    }))
  }

  const models = new Map<string, readonly Deployment[]>()
  for (const [alias, entries] of Object.entries(file.models)) {
    models.set(alias, Object.freeze(entries.map((entry, i) => {
      const provider = providers.get(entry.provider)
      if (provider === undefined) {
        throw invalid(`model "${alias}" deployment ${i} names unknown provider "${entry.provider}" (known: ${[...providers.keys()].join(', ') || 'none'})`)
      }
      const capabilities = resolveCapabilities(entry.model, file.providers[entry.provider]?.capabilities, entry.capabilities)
      return Object.freeze({ provider, model: entry.model, capabilities })
    })))
  }
  return Object.freeze({ providers, models })
}
