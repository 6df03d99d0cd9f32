import type { TObject } from '@sinclair/typebox'
import { maskConfig, secretKindOf, secretNamePattern, unmarkedSecretLookingNames } from '@switchyard/config'
import { HealthEnvSchema } from '@switchyard/health'
import { RouterEnvSchema } from '@switchyard/proxy-router'
import { describe, expect, it } from 'vitest'
import { GatewayEnvSchema } from '../../src/config.js'

// The guarantee behind /v1/debug/config: every setting whose name says "secret" is marked in its
// service's schema. A new *_TOKEN, *_KEY, *_SECRET, *_PASSWORD or *_DSN that nobody marked fails
// here, by name, instead of being shown (maskConfig also fails closed on it).

const schemas: Record<string, TObject> = { gateway: GatewayEnvSchema, 'proxy-router': RouterEnvSchema, health: HealthEnvSchema }

describe.each(Object.entries(schemas))('%s settings', (_service, schema) => {
  it('mark every secret-looking name (as a secret, a URL with credentials, or explicitly not secret)', () => {
    expect(unmarkedSecretLookingNames(schema)).toEqual([])
  })

  it('never show a canary value put in any setting marked secret or named like one', () => {
    const canary = 'canary-value-5f0c2a9e7d13b846'
    const config: Record<string, unknown> = {}
    const hidden: string[] = []
    for (const [name, property] of Object.entries(schema.properties)) {
      const kind = secretKindOf(property)
      if (kind === 'url') config[name] = `postgres://user:${canary}@host:5432/db?password=${canary}`
      else if (kind === 'value' || (kind === undefined && secretNamePattern.test(name))) config[name] = canary
      else continue
      hidden.push(name)
    }
    expect(hidden.length).toBeGreaterThan(0)
    const shown = JSON.stringify(maskConfig(schema, config))
    expect(shown).not.toContain(canary)
    expect(shown).not.toContain('canary')
  })
})

describe('the secrets each service is known to hold', () => {
  it.each([
    ['gateway', ['ADMIN_TOKEN', 'INTERNAL_TOKEN', 'HEALTH_TOKEN', 'DATABASE_URL', 'REDIS_URL']],
    ['proxy-router', ['INTERNAL_TOKEN', 'HEALTH_TOKEN', 'SENTRY_DSN', 'ROUTES_JSON']],
    ['health', ['HEALTH_TOKEN', 'DATABASE_URL', 'REDIS_URL']]
  ])('%s marks %j as secret', (service, names) => {
    const schema = schemas[service]!
    for (const name of names) expect([name, secretKindOf(schema.properties[name])]).toEqual([name, expect.stringMatching(/^(value|url)$/)])
  })
})
