import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildTestApp, HEALTH_TOKEN } from '../helpers/build-test-app.js'

// What the gateway and router hold; the health service never does, and it opens nothing here.
const INTERNAL_TOKEN = 'test-internal-token-0123456789'
const sha12 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12)

describe('GET /internal/debug/config', () => {
  it('shows the configuration with secrets masked to the caller holding HEALTH_TOKEN', async () => {
    const app = await buildTestApp({
      HEALTH_TOKEN,
      DATABASE_URL: 'postgres://health:pg-password-0123456789@db.internal:5432/switchyard',
      REDIS_URL: 'redis://:redis-password-0123456789@cache.internal:6379/0'
    })
    const res = await app.inject({ url: '/internal/debug/config', headers: { 'x-internal-token': HEALTH_TOKEN } })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ service: 'health', version: 'test', node: process.version })
    expect(body.config).toMatchObject({
      HEALTH_PROBE_TIMEOUT_MS: 1000,
      HEALTH_TOKEN: { set: true, sha256: sha12(HEALTH_TOKEN) },
      DATABASE_URL: { url: 'postgres://db.internal:5432/switchyard', credentials: { set: true } },
      REDIS_URL: { url: 'redis://cache.internal:6379/0', credentials: { set: true } }
    })
    for (const secret of [HEALTH_TOKEN, 'pg-password', 'redis-password']) expect(res.body).not.toContain(secret)
  })

  it('refuses the internal token, a wrong token, and everyone when HEALTH_TOKEN is unset, leaving /v1/health open', async () => {
    const app = await buildTestApp({ HEALTH_TOKEN })
    for (const token of [INTERNAL_TOKEN, HEALTH_TOKEN.replace(/.$/, 'X'), '']) {
      const res = await app.inject({ url: '/internal/debug/config', headers: { 'x-internal-token': token } })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
    }
    const unset = await buildTestApp({ HEALTH_TOKEN: undefined })
    expect((await unset.inject({ url: '/internal/debug/config', headers: { 'x-internal-token': HEALTH_TOKEN } })).statusCode).toBe(401)
    expect((await unset.inject({ url: '/v1/health' })).statusCode).not.toBe(401)
    expect((await unset.inject({ url: '/internal/nothing' })).statusCode).toBe(404)
  })
})
