import { readFileSync } from 'node:fs'
import { ConfigError } from '@switchyard/config'
import { describe, expect, it } from 'vitest'
import { parseRoutingTable } from '../../src/routing/routing-table.js'

const configFile = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../config/${name}`, import.meta.url), 'utf8'))

const table = (providers: Record<string, unknown>, models: Record<string, unknown> = {}) => ({ providers, models })
const mock = { type: 'openai', baseUrl: 'http://127.0.0.1:8090/v1' }

function configError (fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('parseRoutingTable', () => {
  it('resolves the committed development table, reading the key from the named variable', () => {
    const routes = parseRoutingTable(configFile('routes.dev.json'), { MOCK_PROVIDER_API_KEY: 'sk-mock' })
    expect([...routes.models.keys()]).toEqual(['mock-gpt', 'mock-gpt-mini'])
    const [deployment] = routes.models.get('mock-gpt-mini') ?? []
    expect(deployment?.model).toBe('mock-gpt-mini')
    expect(deployment?.provider).toMatchObject({ id: 'mock', type: 'openai', origin: 'http://127.0.0.1:8090', basePath: '/v1', apiKey: 'sk-mock' })
  })

  it('resolves the committed example table (OpenAI, OpenRouter, Anthropic, keyless Ollama), keeping deployment order', () => {
    const routes = parseRoutingTable(configFile('routes.example.json'), { OPENAI_API_KEY: 'sk-openai', OPENROUTER_API_KEY: 'sk-or', ANTHROPIC_API_KEY: 'sk-ant' })
    expect(routes.models.get('gpt-4o-mini')?.map((d) => d.provider.id)).toEqual(['openai', 'openrouter'])
    expect(routes.providers.get('openrouter')).toMatchObject({ origin: 'https://openrouter.ai', basePath: '/api/v1', apiKey: 'sk-or' })
    expect(routes.providers.get('ollama')).toMatchObject({ origin: 'http://127.0.0.1:11434', apiKey: undefined })
    expect(routes.models.get('claude-sonnet')?.map((d) => d.provider.type)).toEqual(['anthropic', 'openai'])
    expect(routes.providers.get('anthropic')).toMatchObject({ origin: 'https://api.anthropic.com', basePath: '/v1', apiKey: 'sk-ant' })
  })

  it('accepts a provider without apiKeyEnv and strips a trailing slash from the base path', () => {
    const routes = parseRoutingTable(table({ local: { type: 'openai', baseUrl: 'http://localhost:8000/v1/' } }, { m: [{ provider: 'local', model: 'x' }] }), {})
    expect(routes.providers.get('local')).toMatchObject({ basePath: '/v1', apiKey: undefined })
  })

  it('does not treat prototype names as models', () => {
    const routes = parseRoutingTable(table({ p: mock }, { m: [{ provider: 'p', model: 'x' }] }), {})
    expect(routes.models.get('constructor')).toBeUndefined()
  })

  it('fails on a model that names an unknown provider, naming both', () => {
    const err = configError(() => parseRoutingTable(table({ mock }, { 'gpt-x': [{ provider: 'openia', model: 'gpt-x' }] }), {}))
    expect(err.message).toContain('model "gpt-x" deployment 0 names unknown provider "openia" (known: mock)')
  })

  it('fails on an unknown provider type, naming the provider and the known types', () => {
    const err = configError(() => parseRoutingTable(table({ claude: { type: 'anthropic-v9', baseUrl: 'https://api.anthropic.com/v1' } }), {}))
    expect(err.message).toContain('provider "claude" has unknown type "anthropic-v9" (known: openai, anthropic)')
  })

  it.each([
    ['not a url', 'not an absolute URL'],
    ['ftp://files.example.com/v1', 'only http: and https:'],
    ['https://api.example.com/v1?key=secret', 'no query, fragment or credentials'],
    ['https://user:pass@api.example.com/v1', 'no query, fragment or credentials']
  ])('fails on a bad baseUrl %j, naming the provider', (baseUrl, reason) => {
    const err = configError(() => parseRoutingTable(table({ acme: { type: 'openai', baseUrl } }), {}))
    expect(err.message).toContain(`provider "acme" has a bad baseUrl "${baseUrl}"`)
    expect(err.message).toContain(reason)
  })

  it('fails when the variable named by apiKeyEnv is unset or empty', () => {
    const file = table({ openai: { ...mock, apiKeyEnv: 'OPENAI_API_KEY' } })
    expect(configError(() => parseRoutingTable(file, {})).message).toContain('provider "openai" reads its API key from OPENAI_API_KEY, which is not set')
    expect(() => parseRoutingTable(file, { OPENAI_API_KEY: '' })).toThrow(ConfigError)
  })

  it.each([
    ['a key in the file', table({ p: { ...mock, apiKey: 'sk-live' } }), '/providers/p'],
    ['a model with no deployments', table({ p: mock }, { m: [] }), '/models/m'],
    ['a deployment without a model', table({ p: mock }, { m: [{ provider: 'p' }] }), '/models/m/0'],
    ['an invalid env var name', table({ p: { ...mock, apiKeyEnv: 'my-key' } }), '/providers/p/apiKeyEnv'],
    ['no models section', { providers: {} }, '/models: Expected required property'],
    ['a list instead of an object', [], '(root)']
  ])('fails on %s, pointing at where', (_what, file, path) => {
    expect(configError(() => parseRoutingTable(file, {})).message).toContain(path)
  })
})
