import { once } from 'node:events'
import { createServer } from 'node:http'
import { SwitchyardError } from '@switchyard/errors'
import Fastify from 'fastify'
import { Pool, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createUpstreamTimings, errorHandlerPlugin, telemetryPlugin, upstreamTimingInterceptor } from '../src/index.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanups.splice(0)) await c() })

async function scrape (url: string): Promise<string> {
  const res = await request(url)
  expect(res.statusCode).toBe(200)
  expect(res.headers['content-type']).toContain('text/plain')
  return await res.body.text()
}

/** The value of one sample line, e.g. sample(text, 'x_total', { route: '/a' }). */
function sample (text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1))
}

async function appWithTelemetry () {
  const app = Fastify({ logger: false })
  await app.register(errorHandlerPlugin)
  await app.register(telemetryPlugin, { service: 'test', metricsPort: 0, metricsHost: '127.0.0.1' })
  app.get('/ok/:id', async () => ({ ok: true }))
  app.get('/slow', async () => { await new Promise((resolve) => setTimeout(resolve, 120)); return { ok: true } })
  app.get('/fails', async () => { throw new SwitchyardError('RATE_LIMIT_EXCEEDED', { details: { limit: 1, window: '1 minute', retryAfterSeconds: 1 } }) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  cleanups.push(async () => { await app.close() })
  const address = app.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  return { app, base }
}

describe('telemetry plugin', () => {
  it('counts requests by route pattern, status and catalogue code, on its own port', async () => {
    const { app, base } = await appWithTelemetry()
    for (const id of ['a', 'b', 'c']) await (await request(`${base}/ok/${id}`)).body.dump()
    await (await request(`${base}/fails`)).body.dump()
    await (await request(`${base}/no/such/path/req_123`)).body.dump()
    const metricsUrl = app.metrics.url ?? ''
    expect(metricsUrl).not.toContain(base)
    const text = await scrape(metricsUrl)
    expect(sample(text, 'switchyard_http_requests_total', { route: '/ok/:id', status: '200', code: '' })).toBe(3)
    expect(sample(text, 'switchyard_http_requests_total', { route: '/fails', status: '429', code: 'RATE_LIMIT_EXCEEDED' })).toBe(1)
    expect(sample(text, 'switchyard_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1)
    expect(sample(text, 'switchyard_http_request_duration_seconds_count', { route: '/ok/:id', status: '200' })).toBe(3)
    // Bounded labels: no raw paths or ids, and the process metrics are there.
    expect(text).not.toContain('req_123')
    expect(text).not.toContain('/ok/a')
    expect(text).toMatch(/nodejs_eventloop_lag_seconds\{service="test"\}/)
  })

  it('times each request in seconds, from its arrival to its last byte', async () => {
    const { app, base } = await appWithTelemetry()
    await (await request(`${base}/slow`)).body.dump()
    const text = await scrape(app.metrics.url ?? '')
    // Seconds, not milliseconds: a 120 ms handler lands above 0.1 and below 10.
    const sum = sample(text, 'switchyard_http_request_duration_seconds_sum', { route: '/slow', status: '200' })
    expect(sum).toBeGreaterThanOrEqual(0.1)
    expect(sum).toBeLessThan(10)
    expect(sample(text, 'switchyard_http_request_duration_seconds_bucket', { route: '/slow', status: '200', le: '0.1' })).toBe(0)
    expect(sample(text, 'switchyard_http_request_duration_seconds_bucket', { route: '/slow', status: '200', le: '0.25' })).toBe(1)
  })

  it('is not reachable through the service port, and the metrics port serves nothing else', async () => {
    const { app, base } = await appWithTelemetry()
    expect((await request(`${base}/metrics`)).statusCode).toBe(404)
    const other = await request((app.metrics.url ?? '').replace('/metrics', '/v1/anything'))
    expect(other.statusCode).toBe(404)
    await other.body.dump()
  })

  it('times outbound calls with an undici interceptor, by provider, model and status', async () => {
    const { app } = await appWithTelemetry()
    const upstream = createServer((req, res) => { res.writeHead(req.url === '/bad' ? 503 : 200).end('x') })
    upstream.listen(0, '127.0.0.1')
    await once(upstream, 'listening')
    const port = (upstream.address() as { port: number }).port
    const timings = createUpstreamTimings(app.metrics.registry, 'switchyard_upstream')
    const pool = new Pool(`http://127.0.0.1:${port}`).compose(upstreamTimingInterceptor(timings, { provider: 'mock', model: 'mock-gpt' }))
    cleanups.push(async () => { await pool.close(); upstream.close() })
    for (const path of ['/a', '/b', '/bad']) await (await pool.request({ method: 'GET', path })).body.dump()
    const text = await scrape(app.metrics.url ?? '')
    expect(sample(text, 'switchyard_upstream_ttfb_seconds_count', { provider: 'mock', model: 'mock-gpt', status: '200' })).toBe(2)
    expect(sample(text, 'switchyard_upstream_duration_seconds_count', { provider: 'mock', model: 'mock-gpt', status: '503' })).toBe(1)
  })
})
