import { describe, expect, it } from 'vitest'
import { loadGatewayConfig } from '../../src/app.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

const HEALTH_TOKEN = 'test-health-token-0123456789'

describe('HEALTH_TOKEN on the gateway', () => {
  it('opens /internal/db (the health service\'s embedded-database probe) and nothing else', async () => {
    const { app } = await buildTestApp({ HEALTH_TOKEN })

    const db = await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': HEALTH_TOKEN } })
    expect(db.statusCode).toBe(200)
    expect(db.json()).toMatchObject({ ok: true })
    // The internal token still works there.
    expect((await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': INTERNAL_TOKEN } })).statusCode).toBe(200)

    for (const headers of [{ authorization: `Bearer ${HEALTH_TOKEN}` }, { 'x-internal-token': HEALTH_TOKEN }]) {
      const models = await app.inject({ method: 'GET', url: '/v1/models', headers })
      expect(models.statusCode).toBe(401)
      const admin = await app.inject({ method: 'GET', url: '/v1/api-keys', headers })
      expect(admin.statusCode).toBe(401)
    }
    expect((await app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode).toBe(200)
  })

  it('refuses to boot with HEALTH_TOKEN equal to INTERNAL_TOKEN', () => {
    expect(() => loadGatewayConfig({ INTERNAL_TOKEN, ADMIN_TOKEN, HEALTH_TOKEN: INTERNAL_TOKEN }, 'test')).toThrow(/HEALTH_TOKEN must differ from INTERNAL_TOKEN/)
  })

  it('without HEALTH_TOKEN configured, a made-up one is refused on /internal/db', async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': HEALTH_TOKEN } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
  })
})
