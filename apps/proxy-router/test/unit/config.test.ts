import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir } from '@switchyard/testing'
import { ConfigError } from '@switchyard/config'
import { describe, expect, it } from 'vitest'
import { loadRouterConfig } from '../../src/config.js'

const INTERNAL_TOKEN = 'test-internal-token-0123456789'
const devRoutes = new URL('../../config/routes.dev.json', import.meta.url).pathname

function tempFile (content: string): string {
  const file = join(makeTempDir('router-config'), 'routes.json')
  writeFileSync(file, content)
  return file
}

describe('loadRouterConfig', () => {
  it('defaults the provider probes to once per 30 s with a 1 s attempt, and refuses a HEALTH_TOKEN equal to INTERNAL_TOKEN', () => {
    const config = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' })
    expect(config).toMatchObject({ PROVIDER_PROBE_INTERVAL_MS: 30_000, PROVIDER_PROBE_TIMEOUT_MS: 1000 })
    expect(config.HEALTH_TOKEN).toBeUndefined()
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, HEALTH_TOKEN: INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' })).toThrow(/HEALTH_TOKEN must differ from INTERNAL_TOKEN/)
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, HEALTH_TOKEN: 'short', ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' })).toThrow(/HEALTH_TOKEN/)
  })

  it('applies the documented defaults and loads the routing table', () => {
    const config = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' })
    expect(config).toMatchObject({
      PORT: 8081,
      PROVIDER_CONNECT_TIMEOUT_MS: 5000,
      PROVIDER_HEADERS_TIMEOUT_MS: 180_000,
      PROVIDER_BODY_TIMEOUT_MS: 180_000,
      PROVIDER_KEEP_ALIVE_TIMEOUT_MS: 30_000,
      PROVIDER_MAX_CONNECTIONS: 4096,
      BODY_LIMIT_BYTES: 10 * 1024 * 1024
    })
    expect(config.version).toMatch(/^\d+\.\d+\.\d+/)
    expect([...config.routes.models.keys()]).toEqual(['mock-gpt', 'mock-gpt-mini'])
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('requires a routing table and INTERNAL_TOKEN', () => {
    expect(() => loadRouterConfig({ INTERNAL_TOKEN })).toThrow(/ROUTES_FILE/)
    expect(() => loadRouterConfig({ ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' })).toThrow(/INTERNAL_TOKEN/)
  })

  it('accepts the table itself as ROUTES_JSON (a deployment parameter) instead of a file', () => {
    const table = readFileSync(devRoutes, 'utf8')
    const config = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_JSON: table, MOCK_PROVIDER_API_KEY: 'k' })
    expect([...config.routes.models.keys()]).toEqual(['mock-gpt', 'mock-gpt-mini'])
    expect(config.ROUTES_FILE).toBeUndefined()
  })

  it('requires exactly one of ROUTES_FILE and ROUTES_JSON, in one line', () => {
    const table = readFileSync(devRoutes, 'utf8')
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, ROUTES_JSON: table, MOCK_PROVIDER_API_KEY: 'k' }))
      .toThrow(/^Invalid configuration: set exactly one of ROUTES_FILE and ROUTES_JSON, not both$/)
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: '', ROUTES_JSON: '' }))
      .toThrow(/^Invalid configuration: ROUTES_FILE is required but not set \(or set ROUTES_JSON to the table itself\)$/)
  })

  it('refuses a ROUTES_JSON that does not parse without echoing any of it', () => {
    const value = '{ "providers": { "secret-looking-provider": '
    let message = ''
    try {
      loadRouterConfig({ INTERNAL_TOKEN, ROUTES_JSON: value })
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      message = (err as Error).message
    }
    expect(message).toBe('Invalid configuration: ROUTES_JSON is not valid JSON')
    expect(message).not.toContain('secret-looking-provider')
  })

  it('names ROUTES_JSON as the source of an invalid table', () => {
    const json = JSON.stringify({ providers: {}, models: { m: [{ provider: 'ghost', model: 'm' }] } })
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_JSON: json })).toThrow('unknown provider "ghost" (known: none) (in ROUTES_JSON)')
  })

  it('names the file when it is missing or not JSON', () => {
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: '/nonexistent/routes.json' })).toThrow(/ROUTES_FILE \/nonexistent\/routes\.json could not be read/)
    const broken = tempFile('{ "providers": ')
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: broken })).toThrow(ConfigError)
  })

  it('names the file and the problem for an invalid table', () => {
    const file = tempFile(JSON.stringify({ providers: {}, models: { m: [{ provider: 'ghost', model: 'm' }] } }))
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: file })).toThrow(`unknown provider "ghost" (known: none) (in ROUTES_FILE ${file})`)
  })

  it('rejects a non-numeric timeout naming the variable', () => {
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', PROVIDER_HEADERS_TIMEOUT_MS: 'soon' })).toThrow(/PROVIDER_HEADERS_TIMEOUT_MS/)
  })

  it('applies the attempt-loop defaults: cause-level upstream detail, a 230 s total below the load balancer', () => {
    const config = loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' })
    expect(config).toMatchObject({
      ROUTER_TOTAL_TIMEOUT_MS: 230_000,
      PROVIDER_FIRST_TOKEN_TIMEOUT_MS: 60_000,
      ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: 2,
      SSE_HEARTBEAT_MS: 15_000,
      UPSTREAM_ERROR_DETAIL: 'cause'
    })
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', UPSTREAM_ERROR_DETAIL: 'everything' })).toThrow(/UPSTREAM_ERROR_DETAIL/)
  })

  it('refuses a timeout budget that breaks a rule, naming the rule and both settings', () => {
    const load = () => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', ROUTER_TOTAL_TIMEOUT_MS: '120000' })
    expect(load).toThrow(ConfigError)
    expect(load).toThrow(/rule "router attempt-phase deadline > provider headers timeout".*ROUTER_TOTAL_TIMEOUT_MS \(120000 ms\).*PROVIDER_HEADERS_TIMEOUT_MS \(180000 ms\)/)
  })
})

describe('SENTRY_DSN', () => {
  it('is optional, and an empty value means unset', () => {
    expect(loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k' }).SENTRY_DSN).toBeUndefined()
    expect(loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', SENTRY_DSN: '' }).SENTRY_DSN).toBeUndefined()
  })

  it('accepts a DSN and refuses something that is not one, without echoing it', () => {
    const dsn = 'https://0123abcd@o1.ingest.example.com/42'
    expect(loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', SENTRY_DSN: dsn }).SENTRY_DSN).toBe(dsn)
    const bad = 'https://o1.ingest.example.com/42-no-key'
    expect(() => loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', SENTRY_DSN: bad })).toThrow(/SENTRY_DSN/)
    try {
      loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: devRoutes, MOCK_PROVIDER_API_KEY: 'k', SENTRY_DSN: bad })
    } catch (err) {
      expect((err as Error).message).not.toContain('42-no-key')
    }
  })
})
