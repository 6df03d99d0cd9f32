import { captureLogs } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../helpers/build-test-app.js'

describe('client mistakes at the health service', () => {
  it('answers a wrong method with 405 and Allow, keeping the caller\'s request id', async () => {
    const app = await buildApp(testConfig())
    onTestFinished(async () => { await app.close() })
    const res = await app.inject({ method: 'POST', url: '/v1/health', headers: { 'x-request-id': 'req_from_gateway_1' } })
    expect(res.statusCode).toBe(405)
    expect(res.headers['allow']).toContain('GET')
    expect(res.json().error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', request_id: 'req_from_gateway_1' })
  })

  it('never echoes or logs a credential header', async () => {
    const logs = captureLogs()
    const app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { logStream: logs.stream })
    onTestFinished(async () => { await app.close() })
    const secret = 'LeakyHealthSecret-0123456789'
    for (const headers of [{ authorization: secret }, { 'x-internal-token': secret }, { 'x-api-key': secret }]) {
      for (const [method, url] of [['DELETE', '/v1/health'], ['GET', '/nowhere']] as const) {
        const res = await app.inject({ method, url, headers })
        expect(res.body + JSON.stringify(res.headers)).not.toContain('LeakyHealth')
      }
    }
    expect(logs.lines.length).toBeGreaterThan(0)
    expect(logs.text()).not.toContain('LeakyHealth')
  })
})
