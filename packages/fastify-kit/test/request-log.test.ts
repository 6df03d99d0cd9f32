import { PassThrough, Writable } from 'node:stream'
import { request } from 'undici'
import Fastify, { type FastifyRequest } from 'fastify'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { SwitchyardError } from '@switchyard/errors'
import { baseServerOptions, errorHandlerPlugin, requestLogPlugin } from '../src/index.js'

declare module 'fastify' {
  interface FastifyRequest {
    testKeyId: string | null
  }
}

async function appWithLines (level = 'info') {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb() } })
  const app = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'trust-caller' }), logger: { level, stream } })
  app.decorateRequest('testKeyId', null)
  let fieldCalls = 0
  await app.register(requestLogPlugin, {
    fields: (request: FastifyRequest) => {
      fieldCalls++
      return { keyId: request.testKeyId ?? undefined }
    }
  })
  await app.register(errorHandlerPlugin)
  app.get('/refused', async () => { throw new SwitchyardError('RATE_LIMIT_EXCEEDED', { details: { limit: 1, window: '60 s', retryAfterSeconds: 1 } }) })
  app.addHook('onRequest', async (request) => {
    if (request.headers.authorization !== undefined) request.testKeyId = 'key_123'
  })
  app.post('/v1/chat/completions', async () => ({ ok: true }))
  app.get('/missing-query', async (_request, reply) => await reply.code(404).send({}))
  // A stream that never ends: only the client leaving ends the request.
  app.get('/endless', async (_request, reply) => {
    const body = new PassThrough()
    body.write('data: first\n\n')
    return await reply.type('text/event-stream').send(body)
  })
  onTestFinished(async () => { await app.close() })
  return { app, lines, fieldCalls: () => fieldCalls }
}

describe('requestLogPlugin', () => {
  it('writes exactly one line per request with method, path, status, duration, model and key id', async () => {
    const { app, lines } = await appWithLines()
    const secret = 'sk-sy-thisIsTheSecretPartOfTheKey0123456789'
    await app.inject({ method: 'POST', url: '/v1/chat/completions?token=abc', headers: { authorization: `Bearer ${secret}` }, payload: { model: 'mock-gpt', messages: [] } })

    expect(lines).toHaveLength(1)
    const line = lines[0]!
    expect(line).toMatchObject({ level: 30, method: 'POST', path: '/v1/chat/completions', status: 200, model: 'mock-gpt', keyId: 'key_123' })
    expect(typeof line['durationMs']).toBe('number')
    expect(typeof line['ttfbMs']).toBe('number')
    expect(line).not.toHaveProperty('code')
    expect(line['msg']).toMatch(/^POST \/v1\/chat\/completions 200 [\d.]+ms ttfbMs=[\d.]+ model=mock-gpt keyId=key_123$/)
    const text = JSON.stringify(lines)
    expect(text).not.toContain('thisIsTheSecret')
    expect(text).not.toContain('token=abc') // query strings can carry secrets
  })

  it('caps and cleans a hostile model name before it reaches the log', async () => {
    const { app, lines } = await appWithLines()
    await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: `evil\n\u0000${'x'.repeat(100_000)}` } })
    expect(lines).toHaveLength(1)
    const model = lines[0]!['model'] as string
    expect(model.length).toBeLessThanOrEqual(65)
    expect(model.startsWith('evil??')).toBe(true)
    expect(lines[0]).not.toHaveProperty('keyId')
  })

  it('logs failures too, with their status', async () => {
    const { app, lines } = await appWithLines()
    await app.inject({ method: 'GET', url: '/missing-query' })
    await app.inject({ method: 'GET', url: '/no-such-route' })
    // The error handler's own line (the 404's message) is not a request line: it has no path.
    const requestLines = lines.filter((l) => l['path'] !== undefined)
    expect(requestLines.map((l) => l['status'])).toEqual([404, 404])
    expect(requestLines.map((l) => l['path'])).toEqual(['/missing-query', '/no-such-route'])
  })

  it('names the catalogue code of a failure on its line, at info (the error tracker alerts, not this line)', async () => {
    const { app, lines } = await appWithLines()
    await app.inject({ method: 'GET', url: '/refused' })
    const line = lines.find((l) => l['path'] === '/refused')
    expect(line).toMatchObject({ level: 30, status: 429, code: 'RATE_LIMIT_EXCEEDED' })
    expect(line?.['msg']).toContain('code=RATE_LIMIT_EXCEEDED')
  })

  it('writes the line of a client that left mid-stream when it leaves, marked CLIENT_DISCONNECTED', async () => {
    const { app, lines } = await appWithLines()
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const ac = new AbortController()
    const res = await request(`${base}/endless`, { signal: ac.signal })
    expect(res.statusCode).toBe(200)
    ac.abort()
    await res.body.text().catch(() => '')
    const requestLines = () => lines.filter((l) => l['path'] === '/endless')
    await vi.waitFor(() => { expect(requestLines()).toHaveLength(1) })
    expect(requestLines()[0]).toMatchObject({ status: 200, code: 'CLIENT_DISCONNECTED' })
  })

  it('does no work for the line when info is off', async () => {
    const { app, lines, fieldCalls } = await appWithLines('warn')
    await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'mock-gpt' } })
    await app.inject({ method: 'GET', url: '/refused' })
    expect(lines.filter((l) => l['path'] !== undefined)).toHaveLength(0)
    expect(fieldCalls()).toBe(0)
  })
})
