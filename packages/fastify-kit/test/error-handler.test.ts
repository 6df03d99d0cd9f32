import Fastify from 'fastify'
import { SwitchyardError } from '@switchyard/errors'
import { Agent, request } from 'undici'
import { describe, expect, it, onTestFinished } from 'vitest'
import { baseServerOptions, errorHandlerPlugin, lifecycleRoutesPlugin } from '../src/index.js'

async function build () {
  const app = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'trust-caller' }), logger: false })
  await app.register(errorHandlerPlugin)
  await app.register(lifecycleRoutesPlugin)
  app.post('/echo', {
    schema: { body: { type: 'object', required: ['messages'], properties: { messages: { type: 'array' } } } }
  }, async (request) => request.body)
  app.get('/boom', async () => { throw new Error('db password is hunter2') })
  app.get('/quota', async () => { throw new SwitchyardError('QUOTA_EXCEEDED', { details: { used: 2, limit: 1, resetAt: 'x' } }) })
  onTestFinished(() => app.close())
  return app
}

describe('errorHandlerPlugin', () => {
  it('turns malformed JSON into 400 INVALID_JSON with the request id', async () => {
    const app = await build()
    const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json', 'x-request-id': 'client-id-123' }, payload: '{"messages": [' })
    expect(res.statusCode).toBe(400)
    expect(res.headers['x-request-id']).toBe('client-id-123')
    expect(res.json().error).toMatchObject({ code: 'INVALID_JSON', type: 'invalid_request_error', request_id: 'client-id-123' })
  })

  it('answers URLs refused before routing (a too long path parameter, broken percent-encoding) with the envelope, never quoting the URL', async () => {
    const app = await build()
    app.get('/things/:id', async () => ({ ok: true }))
    const long = await app.inject({ method: 'GET', url: `/things/${'secretish'.repeat(50)}`, headers: { 'x-request-id': 'client-id-456' } })
    expect(long.statusCode).toBe(414)
    expect(long.headers['x-request-id']).toBe('client-id-456')
    expect(long.json().error).toMatchObject({ code: 'INVALID_REQUEST', request_id: 'client-id-456' })
    expect(long.body).not.toContain('secretish')
    const broken = await app.inject({ method: 'GET', url: '/things/%ff%zz' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().error).toMatchObject({ code: 'INVALID_REQUEST' })
    expect(broken.body).not.toContain('%zz')
  })

  it('points a traceable request\'s error message at its trace, and no other', async () => {
    const app = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'trust-caller' }), logger: false })
    await app.register(errorHandlerPlugin, { traceable: (request) => request.url === '/traced' })
    app.get('/traced', async () => { throw new SwitchyardError('PROVIDER_TIMEOUT', { details: { provider: 'p' } }) })
    app.get('/plain', async () => { throw new SwitchyardError('PROVIDER_TIMEOUT', { details: { provider: 'p' } }) })
    onTestFinished(() => app.close())
    const traced = await app.inject({ method: 'GET', url: '/traced', headers: { 'x-request-id': 'req_abcdefgh' } })
    expect(traced.json().error.message).toMatch(/ \(request req_abcdefgh: GET \/v1\/requests\/req_abcdefgh shows every attempt\)$/)
    const plain = await app.inject({ method: 'GET', url: '/plain' })
    expect(plain.json().error.message).not.toContain('/v1/requests/')
  })

  it('names the missing field of a schema violation', async () => {
    const app = await build()
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { model: 'x' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'INVALID_REQUEST', param: 'messages' })
  })

  it('hides unexpected error messages behind INTERNAL_ERROR', async () => {
    const app = await build()
    const res = await app.inject({ method: 'GET', url: '/boom' })
    expect(res.statusCode).toBe(500)
    expect(res.body).not.toContain('hunter2')
    expect(res.json().error.code).toBe('INTERNAL_ERROR')
    expect(res.json().error.request_id).toMatch(/^req_/)
  })

  it('sends catalogue errors with their status, details and x-should-retry', async () => {
    const app = await build()
    const res = await app.inject({ method: 'GET', url: '/quota' })
    expect(res.statusCode).toBe(429)
    expect(res.headers['x-should-retry']).toBe('false')
    expect(res.json().error.details).toEqual({ used: 2, limit: 1, resetAt: 'x' })
  })

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    const app = await build()
    const res = await app.inject({ method: 'GET', url: '/v2/nope?x=1' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'No route GET /v2/nope.' })
  })

  it('ignores an untrustworthy inbound request id', async () => {
    const app = await build()
    const res = await app.inject({ method: 'GET', url: '/livez', headers: { 'x-request-id': 'bad id with spaces' } })
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/)
  })
})

describe('probeRouteLogLevel', () => {
  it('logs probe routes at warn, but never louder than the service level', async () => {
    const { probeRouteLogLevel } = await import('../src/index.js')
    for (const [level, expected] of [['info', 'warn'], ['debug', 'warn'], ['warn', 'warn'], ['error', 'error'], ['silent', 'silent']] as const) {
      const app = Fastify({ logger: { level } })
      expect(probeRouteLogLevel(app)).toBe(expected)
      await app.close()
    }
  })
})

describe('during shutdown', () => {
  it('answers new requests with the SERVICE_SHUTTING_DOWN envelope and connection: close; /readyz says so', async () => {
    const app = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'trust-caller' }), logger: false })
    await app.register(errorHandlerPlugin)
    await app.register(lifecycleRoutesPlugin)
    app.get('/work', async () => ({ ok: true }))
    // Hold shutdown in preClose (after the lifecycle plugin noticed it) while the test asks.
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    let started!: () => void
    const closingStarted = new Promise<void>((resolve) => { started = resolve })
    app.addHook('preClose', async () => { started(); await held })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
    const client = new Agent({ keepAliveTimeout: 10 })
    onTestFinished(async () => { await client.close() })
    const get = async (path: string) => {
      const res = await request(`${base}${path}`, { dispatcher: client })
      return { status: res.statusCode, headers: res.headers, body: await res.body.json() as Record<string, unknown> }
    }
    expect((await get('/work')).status).toBe(200) // opens the keep-alive connection used below

    const closed = app.close()
    await closingStarted
    const res = await get('/work')
    const ready = await get('/readyz')
    const live = await get('/livez')
    release()
    await closed

    expect(res.status).toBe(503)
    expect(res.headers.connection).toBe('close')
    expect(res.headers['x-should-retry']).toBe('true')
    expect(res.body['error']).toMatchObject({ code: 'SERVICE_SHUTTING_DOWN', request_id: res.headers['x-request-id'] })
    expect(ready.status).toBe(503)
    expect(ready.body).toEqual({ status: 'shutting_down' })
    expect(live.status).toBe(200)
  })
})
