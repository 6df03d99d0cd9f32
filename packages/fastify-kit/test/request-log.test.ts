import { Writable } from 'node:stream'
import Fastify, { type FastifyRequest } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { baseServerOptions, requestLogPlugin } from '../src/index.js'

declare module 'fastify' {
  interface FastifyRequest {
    testKeyId: string | null
  }
}

async function appWithLines () {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb() } })
  const app = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'trust-caller' }), logger: { level: 'info', stream } })
  app.decorateRequest('testKeyId', null)
  await app.register(requestLogPlugin, { fields: (request: FastifyRequest) => ({ keyId: request.testKeyId ?? undefined }) })
  app.addHook('onRequest', async (request) => {
    if (request.headers.authorization !== undefined) request.testKeyId = 'key_123'
  })
  app.post('/v1/chat/completions', async () => ({ ok: true }))
  app.get('/missing-query', async (_request, reply) => await reply.code(404).send({}))
  onTestFinished(async () => { await app.close() })
  return { app, lines }
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
    expect(line['msg']).toMatch(/^POST \/v1\/chat\/completions 200 [\d.]+ms model=mock-gpt keyId=key_123$/)
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
    expect(lines.map((l) => l['status'])).toEqual([404, 404])
    expect(lines.map((l) => l['path'])).toEqual(['/missing-query', '/no-such-route'])
  })
})
