import { ConfigError } from '@switchyard/config'
import { describe, expect, it } from 'vitest'
import { loadHealthConfig } from '../../src/config.js'

describe('loadHealthConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadHealthConfig({})
    expect(config).toMatchObject({
      PORT: 8082,
      GATEWAY_URL: 'http://127.0.0.1:8080',
      ROUTER_URL: 'http://127.0.0.1:8081',
      HEALTH_PROBE_TIMEOUT_MS: 1000
    })
  })

  it('coerces numbers from strings', () => {
    expect(loadHealthConfig({ HEALTH_PROBE_TIMEOUT_MS: '300' }).HEALTH_PROBE_TIMEOUT_MS).toBe(300)
  })

  it('refuses a probe timeout below 50 ms, naming the variable', () => {
    expect(() => loadHealthConfig({ HEALTH_PROBE_TIMEOUT_MS: '10' })).toThrow(ConfigError)
    expect(() => loadHealthConfig({ HEALTH_PROBE_TIMEOUT_MS: '10' })).toThrow(/HEALTH_PROBE_TIMEOUT_MS/)
  })

  it('refuses a DATABASE_URL that is not postgres:// and a short HEALTH_TOKEN', () => {
    expect(() => loadHealthConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
    expect(() => loadHealthConfig({ HEALTH_TOKEN: 'short' })).toThrow(/HEALTH_TOKEN/)
  })
})
