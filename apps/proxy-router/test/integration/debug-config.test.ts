import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildTestApp, closedPortUrl, INTERNAL_TOKEN, internalHeaders, PROVIDER_KEY } from '../helpers/build-test-app.js'

const sha12 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12)
const SENTRY_DSN = 'https://0f1e2d3c4b5a69788796a5b4c3d2e1f0@sentry.example.test/42'

describe('GET /internal/debug/config', () => {
  it('shows the effective configuration and routing table with every secret masked', async () => {
    const app = await buildTestApp(await closedPortUrl(), { SENTRY_DSN, COOLDOWN_MS: '1234' })
    const res = await app.inject({ url: '/internal/debug/config', headers: internalHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ service: 'proxy-router', version: 'test', node: process.version })
    expect(body.config).toMatchObject({
      COOLDOWN_MS: 1234,
      INTERNAL_TOKEN: { set: true, sha256: sha12(INTERNAL_TOKEN) },
      SENTRY_DSN: { set: true, sha256: sha12(SENTRY_DSN) },
      ROUTES_JSON: { set: false, sha256: null }
    })
    expect(body.routingTable.providers).toEqual([
      { id: 'mock', type: 'openai', baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/), apiKey: { set: true, sha256: sha12(PROVIDER_KEY) } }
    ])
    expect(body.routingTable.models['fast']).toEqual([{ id: 'mock/mock-gpt-mini', priority: 0, weight: 1 }])
    for (const secret of [INTERNAL_TOKEN, PROVIDER_KEY, SENTRY_DSN, '0f1e2d3c4b5a6978']) expect(res.body).not.toContain(secret)
  })

  it('refuses callers without the internal token', async () => {
    const app = await buildTestApp(await closedPortUrl())
    for (const headers of [{}, { 'x-internal-token': 'wrong-token-0123456789' }, { authorization: `Bearer ${INTERNAL_TOKEN}` }]) {
      const res = await app.inject({ url: '/internal/debug/config', headers })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
      expect(res.body).not.toContain('routingTable')
    }
  })
})
