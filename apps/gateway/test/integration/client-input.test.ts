import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

describe('client input the gateway refuses before any router call', () => {
  it('answers a non-JSON body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const { app } = await buildTestApp()
    const { key } = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'k' } })).json<{ key: string }>()
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' }, payload: 'hello' })
    expect(res.statusCode).toBe(415)
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it('explains a non-Bearer Authorization header instead of claiming no key was sent', async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: 'Basic dXNlcjpwYXNz' } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('MISSING_API_KEY')
    expect(res.json().error.message).toContain('"Basic" scheme')
  })
})

describe('boot configuration', () => {
  it('refuses to start without DATABASE_URL unless the embedded database is asked for', async () => {
    const { buildApp, loadGatewayConfig } = await import('../../src/app.js')
    const config = loadGatewayConfig({ INTERNAL_TOKEN: 'test-internal-token-0123456789', LOG_LEVEL: 'silent' }, 'test')
    await expect(buildApp(config)).rejects.toThrow(/DATABASE_URL is not set/)
  })

  it('rejects a ROUTER_URL with a path (its routes live at the root)', async () => {
    const { loadGatewayConfig } = await import('../../src/app.js')
    expect(() => loadGatewayConfig({ INTERNAL_TOKEN: 'test-internal-token-0123456789', ROUTER_URL: 'http://router:8081/api' }, 'test')).toThrow(/ROUTER_URL/)
  })
})
