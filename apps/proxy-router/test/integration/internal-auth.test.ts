import { captureLogs } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { buildTestApp, closedPortUrl, INTERNAL_TOKEN, internalHeaders } from '../helpers/build-test-app.js'

const completion = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }

describe('internal token on /v1', () => {
  it.each([
    ['no header', {}],
    ['a wrong token of the same length', { 'x-internal-token': INTERNAL_TOKEN.replace(/.$/, 'X') }],
    ['a wrong token of another length', { 'x-internal-token': 'short' }],
    ['the token as a bearer header', { authorization: `Bearer ${INTERNAL_TOKEN}` }]
  ])('refuses %s with 401 INVALID_INTERNAL_TOKEN before touching the body or a provider', async (_what, headers) => {
    const app = await buildTestApp(await closedPortUrl())
    for (const req of [
      { method: 'POST' as const, url: '/v1/chat/completions', payload: completion },
      { method: 'POST' as const, url: '/v1/chat/completions', payload: { not: 'valid' } },
      { method: 'GET' as const, url: '/v1/models' }
    ]) {
      const res = await app.inject({ ...req, headers: { ...headers, 'x-request-id': 'req_auth_test_1' } })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({
        error: {
          message: 'This endpoint only accepts calls from Switchyard services.',
          type: 'authentication_error',
          code: 'INVALID_INTERNAL_TOKEN',
          param: null,
          request_id: 'req_auth_test_1'
        }
      })
      expect(res.headers['x-request-id']).toBe('req_auth_test_1')
    }
  })

  it('admits the gateway with the right token', async () => {
    const app = await buildTestApp(await closedPortUrl())
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: internalHeaders })
    expect(res.statusCode).toBe(200)
  })

  it('leaves /livez and /readyz open for probes', async () => {
    const app = await buildTestApp(await closedPortUrl())
    expect((await app.inject({ url: '/livez' })).statusCode).toBe(200)
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' })
  })
})

describe('credentials presented to the router', () => {
  it('never appear in a response or a log line, whatever header shape carries them', async () => {
    const logs = captureLogs()
    const app = await buildTestApp(await closedPortUrl(), { LOG_LEVEL: 'info' }, { logStream: logs.stream })
    const secret = 'LeakyInternalToken-0123456789'
    for (const headers of [{ 'x-internal-token': secret }, { authorization: secret }, { authorization: `Bearer ${secret}` }, { 'x-api-key': secret }]) {
      for (const [method, url] of [['POST', '/v1/chat/completions'], ['GET', '/v1/models'], ['PUT', '/v1/models'], ['GET', '/v1/nowhere']] as const) {
        const res = await app.inject({ method, url, headers, payload: method === 'POST' ? completion : undefined })
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.body + JSON.stringify(res.headers)).not.toContain('LeakyInternal')
      }
    }
    expect(logs.lines.length).toBeGreaterThan(0)
    expect(logs.text()).not.toContain('LeakyInternal')
  })
})
