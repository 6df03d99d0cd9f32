import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadRouterConfig } from '../../src/config.js'

const INTERNAL_TOKEN = 'test-internal-token-0123456789'
const configDir = fileURLToPath(new URL('../../config/', import.meta.url))

// The README's quick start: each committed table works with only the one key its provider needs.
const needs: Record<string, string[]> = {
  'routes.openai.json': ['OPENAI_API_KEY'],
  'routes.openrouter.json': ['OPENROUTER_API_KEY'],
  'routes.ollama.json': [],
  'routes.vllm.json': [],
  'routes.dev.json': ['MOCK_PROVIDER_API_KEY'],
  'routes.anthropic.json': ['ANTHROPIC_API_KEY'],
  'routes.example.json': ['OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY']
}

describe('committed routing tables', () => {
  it('are all covered here', () => {
    expect(readdirSync(configDir).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(needs).sort())
  })

  it.each(Object.entries(needs))('%s loads with only %j set', (file, keys) => {
    const env = Object.fromEntries(keys.map((k) => [k, 'sk-test-key-0123456789']))
    const config = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: `${configDir}${file}`, ...env })
    expect(config.routes.models.size).toBeGreaterThan(0)
    for (const key of keys) {
      const without = { ...env }
      delete without[key]
      expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: `${configDir}${file}`, ...without })).toThrow(key)
    }
  })
})
