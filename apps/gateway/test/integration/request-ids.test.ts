import { describe, expect, it } from 'vitest'
import { buildLoggedApp } from '../helpers/logged-app.js'

describe('request ids at the gateway', () => {
  it('gives every request an id of its own, even when clients send the same x-request-id', async () => {
    const { app } = await buildLoggedApp()
    const a = await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-request-id': 'client-chosen-id-123' } })
    const b = await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-request-id': 'client-chosen-id-123' } })
    for (const res of [a, b]) {
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/)
      expect(res.json().error.request_id).toBe(res.headers['x-request-id'])
      expect(res.headers['x-correlation-id']).toBe('client-chosen-id-123')
    }
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id'])
  })

  it('logs the client value as correlationId next to the gateway request id', async () => {
    const { app, logs } = await buildLoggedApp()
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-request-id': 'trace 42/abc' } })
    const lines = logs.records().filter((r) => r['reqId'] === res.headers['x-request-id'])
    expect(lines.some((r) => r['correlationId'] === 'trace 42/abc')).toBe(true)
  })

  it('ignores a correlation id that is too long or not printable ASCII (never echoed, never logged)', async () => {
    const { app, logs } = await buildLoggedApp()
    for (const value of ['x'.repeat(129), 'caf\u00e9-id', 'a\u0001b']) {
      const res = await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-request-id': value } })
      expect(res.headers['x-correlation-id']).toBeUndefined()
      expect(res.headers['x-request-id']).toMatch(/^req_/)
    }
    expect(logs.text()).not.toContain('x'.repeat(129))
    const ok = await app.inject({ method: 'GET', url: '/v1/models', headers: { 'x-request-id': 'y'.repeat(128) } })
    expect(ok.headers['x-correlation-id']).toBe('y'.repeat(128))
  })
})
