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
    expect(routes.models.get('llama3.1')?.map((d) => [d.id, d.priority, d.weight])).toEqual([
      ['openrouter/meta-llama/llama-3.1-8b-instruct', 0, 3], ['openai/gpt-4o-mini', 0, 1], ['ollama/llama3.1:8b', 1, 1]
    ])
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

  describe('optional providers', () => {
    const paid = { type: 'openai', baseUrl: 'https://paid.example/v1', apiKeyEnv: 'PAID_KEY' }
    const models = { solo: [{ provider: 'paid', model: 'm1' }], both: [{ provider: 'paid', model: 'm1' }, { provider: 'mock', model: 'm2' }] }

    it('a provider whose key variable is unset stops the boot unless it is optional', () => {
      const err = configError(() => parseRoutingTable(table({ mock, paid }, models), {}))
      expect(err.message).toContain('provider "paid" reads its API key from PAID_KEY, which is not set')
      expect(err.message).toContain('"optional": true')
    })

    it('an optional provider without its key is skipped: its deployments go, aliases left with none are dropped', () => {
      const routes = parseRoutingTable(table({ mock, paid: { ...paid, optional: true } }, models), { PAID_KEY: '' })
      expect([...routes.providers.keys()]).toEqual(['mock'])
      expect(routes.skippedProviders).toEqual([{ id: 'paid', apiKeyEnv: 'PAID_KEY' }])
      expect([...routes.models.keys()]).toEqual(['both'])
      // The survivor keeps its place in the order (priority from its list position).
      expect(routes.models.get('both')?.map((d) => [d.id, d.priority])).toEqual([['mock/m2', 1]])
    })

    it('an optional provider with its key set is used like any other', () => {
      const routes = parseRoutingTable(table({ mock, paid: { ...paid, optional: true } }, models), { PAID_KEY: 'sk-paid' })
      expect(routes.skippedProviders).toEqual([])
      expect(routes.models.get('solo')?.[0]?.provider.apiKey).toBe('sk-paid')
      expect(routes.models.get('both')?.map((d) => d.id)).toEqual(['paid/m1', 'mock/m2'])
    })

    it('a skipped provider is still validated, and deployments naming unknown providers still stop the boot', () => {
      expect(configError(() => parseRoutingTable(table({ paid: { ...paid, optional: true, baseUrl: 'ftp://x' } }, {}), {})).message).toContain('bad baseUrl')
      expect(configError(() => parseRoutingTable(table({ paid: { ...paid, optional: 'yes' } }, {}), {})).message).toContain('/providers/paid/optional')
      expect(configError(() => parseRoutingTable(table({ paid: { ...paid, optional: true } }, { x: [{ provider: 'nope', model: 'm' }] }), {})).message).toContain('unknown provider "nope"')
    })
  })
})
