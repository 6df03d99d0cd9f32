import { faults } from '@switchyard/mock-provider'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { buildTableApp, buildTestApp, internalHeaders, writeTableFile } from '../helpers/build-test-app.js'
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

  it('time provider calls by provider and model, count retries, and show the pool of each provider', async () => {
    const mock = await startMock()
    const app = await buildTestApp(mock.baseUrl, { METRICS_PORT: '0', HOST: '127.0.0.1' })
    mock.enqueue(faults.serverError(503))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: { model: 'fast', messages: [{ role: 'user', content: 'hi' }] } })
    expect(res.statusCode).toBe(200)

    const text = await (await request(app.metrics.url ?? '')).body.text()
    // The alias "fast" is served by the deployment model mock-gpt-mini: the label is the table's model.
    expect(sample(text, 'switchyard_upstream_ttfb_seconds_count', { provider: 'mock', model: 'mock-gpt-mini', status: '503' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_ttfb_seconds_count', { provider: 'mock', model: 'mock-gpt-mini', status: '200' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_duration_seconds_count', { provider: 'mock', model: 'mock-gpt-mini', status: '200' })).toBe(1)
    expect(text).not.toContain('model="fast"')
    expect(sample(text, 'switchyard_upstream_retries_total', { provider: 'mock' })).toBe(1)
    // The keep-alive connection of the answered calls stays open and idle after them.
    expect(text).toMatch(/^switchyard_upstream_pool_connected\{[^}]*provider="mock"[^}]*\} 1$/m)
    expect(text).toMatch(/^switchyard_upstream_pool_free\{[^}]*provider="mock"[^}]*\} 1$/m)
    expect(text).toMatch(/^switchyard_upstream_pool_pending\{[^}]*provider="mock"[^}]*\} 0$/m)
    expect(text).toMatch(/^switchyard_upstream_pool_running\{[^}]*provider="mock"[^}]*\} 0$/m)
  })

  it('count a fallback from the failing provider to the next, and the cooldown it starts', async () => {
    const a = await startMock()
    const b = await startMock()
    const file = writeTableFile({ a: a.baseUrl, b: b.baseUrl }, { m: [{ provider: 'a', model: 'mock-gpt' }, { provider: 'b', model: 'mock-gpt-mini' }] })
    const app = await buildTableApp(file, { METRICS_PORT: '0', HOST: '127.0.0.1', ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1', COOLDOWN_FAILURE_THRESHOLD: '1', COOLDOWN_MS: '60000' })
    a.enqueue(faults.serverError(500))
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-provider']).toBe('b')

    const text = await (await request(app.metrics.url ?? '')).body.text()
    expect(sample(text, 'switchyard_upstream_fallbacks_total', { from_provider: 'a', to_provider: 'b' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_retries_total', { provider: 'a' })).toBe(0)
    expect(sample(text, 'switchyard_upstream_requests_total', { provider: 'a', outcome: 'failed' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_requests_total', { provider: 'b', outcome: 'served' })).toBe(1)
    expect(sample(text, 'switchyard_cooldown_transitions_total', { deployment: 'a/mock-gpt', state: 'cooling_down' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_ttfb_seconds_count', { provider: 'a', model: 'mock-gpt', status: '500' })).toBe(1)
    expect(sample(text, 'switchyard_upstream_ttfb_seconds_count', { provider: 'b', model: 'mock-gpt-mini', status: '200' })).toBe(1)
  })
})
