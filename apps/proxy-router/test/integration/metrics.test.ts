import { faults } from '@switchyard/mock-provider'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { buildTestApp, internalHeaders } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'

/** The value of one sample line of a Prometheus text page (0 when absent). */
function sample (text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1))
}

describe('router metrics on METRICS_PORT', () => {
  it('count provider calls and failures by provider and code, and requests by route and status', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, { METRICS_PORT: '0', HOST: '127.0.0.1' })
    const ask = { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }
    mock.enqueue(faults.serverError(503))
    const retried = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask })
    expect(retried.statusCode).toBe(200)
    expect(retried.headers['x-switchyard-attempts']).toBe('2')
    mock.enqueue(faults.contextLengthExceeded())
    expect((await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask })).statusCode).toBe(400)

    const res = await request(app.metrics.url ?? '')
    const text = await res.body.text()
    expect(sample(text, 'switchyard_upstream_requests_total', { provider: 'mock', outcome: 'served' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_requests_total', { provider: 'mock', outcome: 'failed' })).toBe(2)
    expect(sample(text, 'switchyard_upstream_errors_total', { provider: 'mock', code: 'PROVIDER_UNAVAILABLE' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_errors_total', { provider: 'mock', code: 'CONTEXT_LENGTH_EXCEEDED' })).toBe(1)
    expect(sample(text, 'switchyard_http_requests_total', { route: '/v1/chat/completions', status: '400', code: 'CONTEXT_LENGTH_EXCEEDED' })).toBe(1)
    expect(text).not.toContain('sk-test-provider-key')
  })
})
