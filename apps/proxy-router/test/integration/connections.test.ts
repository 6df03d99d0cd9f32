import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { buildTestApp, internalHeaders, listen } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'
import { trackSockets } from '../helpers/sockets.js'

const ask = (extra: Record<string, unknown> = {}) => ({ model: 'mock-gpt', messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }], ...extra })

describe('provider connections', () => {
  it('100 sequential completions reuse a handful of keep-alive connections', async () => {
    const mock = await startMock()
    const sockets = trackSockets(mock.server)
    const app = await buildTestApp(mock.baseUrl)
    for (let i = 0; i < 100; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask({ stream: i % 2 === 1 }) })
      expect(res.statusCode).toBe(200)
    }
    expect(mock.requests).toHaveLength(100)
    expect(sockets.accepted).toBeLessThanOrEqual(2)
    expect(mock.stats.connections).toBeLessThanOrEqual(2)
  })

  it('a client that disconnects mid-stream closes the provider connection', async () => {
    const mock = await startMock({ chunkDelayMs: 100 })
    const sockets = trackSockets(mock.server)
    const app = await buildTestApp(mock.baseUrl)
    const url = await listen(app)

    const controller = new AbortController()
    const res = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...internalHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(ask({ stream: true })),
      signal: controller.signal
    })
    expect(res.statusCode).toBe(200)
    const reader = res.body[Symbol.asyncIterator]()
    await reader.next()
    expect(sockets.open).toBe(1)
    controller.abort()

    // The connection that carried the stream is closed at once (an idle keep-alive socket would
    // stay open for PROVIDER_KEEP_ALIVE_TIMEOUT_MS, 30 s), so the provider stops generating.
    // (undici then opens a fresh idle connection for the pool: README, "Known behaviours".)
    await sockets.closed(0, 2000)
    expect(mock.requests).toHaveLength(1)
    await expect(reader.next()).rejects.toThrow()
  })

  it('a client that gives up before the provider answered cancels the provider call', async () => {
    const mock = await startMock()
    const sockets = trackSockets(mock.server)
    const app = await buildTestApp(mock.baseUrl)
    const url = await listen(app)
    mock.enqueue({ kind: 'delay-headers', ms: 10_000 })

    const controller = new AbortController()
    const pending = request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...internalHeaders, 'content-type': 'application/json' },
      body: JSON.stringify(ask()),
      signal: controller.signal
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(mock.requests).toHaveLength(1)
    controller.abort()
    await expect(pending).rejects.toThrow()

    // The provider would have held this connection for 10 s; it is closed now.
    await sockets.closed(0, 2000)
    // And the router carries on serving.
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    expect(res.statusCode).toBe(200)
  })

  it('closing the app closes the provider pools', async () => {
    const mock = await startMock()
    const sockets = trackSockets(mock.server)
    const app = await buildTestApp(mock.baseUrl)
    await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask() })
    // Kept alive for reuse while the app runs...
    expect(sockets.open).toBe(1)
    await app.close()
    // ...and released on close (onClose), well before the 30 s keep-alive timeout.
    await sockets.allClosed(2000)
  })
})
