import { connect } from 'node:net'
import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { baseServerOptions, errorHandlerPlugin, useJsonBodyParser } from '../src/index.js'

const SECRET = 'sk-sy-this-is-a-secret-that-must-never-be-logged'

/** A service built like ours, listening on 127.0.0.1:0, with every log line captured. */
async function start () {
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb() } })
  const app = Fastify({ ...baseServerOptions({ KEEP_ALIVE_TIMEOUT_MS: 5000 }, { requestIds: 'trust-caller' }), logger: { level: 'trace', stream } })
  useJsonBodyParser(app)
  await app.register(errorHandlerPlugin)
  app.post('/v1/things', async (request) => request.body)
  app.get('/v1/things/:id', async () => ({ ok: true }))
  app.delete('/v1/things/:id', async () => ({ ok: true }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  onTestFinished(() => app.close())
  const { port } = app.server.address() as { port: number }
  return { app, port, lines }
}

interface RawResponse { status: number, headers: Record<string, string>, body: string }

/** Writes raw bytes and reads until the server closes the connection (these requests must close it). */
async function raw (port: number, bytes: string): Promise<RawResponse> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => { data += d })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => { socket.destroy(); reject(new Error('server did not close the connection')) })
  })
  const [head = '', body = ''] = text.split('\r\n\r\n')
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine.split(' ')[1]), headers, body }
}

function expectEnvelope (res: RawResponse, status: number, code: string): void {
  expect(res.status).toBe(status)
  expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/)
  expect(res.headers['x-should-retry']).toBe('false')
  expect(JSON.parse(res.body).error).toMatchObject({ code, request_id: res.headers['x-request-id'] })
}

describe('errors Node or Fastify raise before a route runs still use the envelope', () => {
  it('answers headers larger than Node accepts with 431 REQUEST_HEADERS_TOO_LARGE, never logging them', async () => {
    const { port, lines } = await start()
    const res = await raw(port, `GET /v1/things/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${SECRET}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expectEnvelope(res, 431, 'REQUEST_HEADERS_TOO_LARGE')
    expect(lines.join('')).toContain('REQUEST_HEADERS_TOO_LARGE')
    expect(lines.join('')).not.toContain(SECRET)
  })

  it('answers Content-Length together with Transfer-Encoding with 400 MALFORMED_HTTP_REQUEST naming the conflict', async () => {
    const { port, lines } = await start()
    const res = await raw(port, `POST /v1/things HTTP/1.1\r\nHost: x\r\nAuthorization: ${SECRET}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`)
    expectEnvelope(res, 400, 'MALFORMED_HTTP_REQUEST')
    expect(JSON.parse(res.body).error.message).toContain('Content-Length together with Transfer-Encoding')
    expect(res.headers['connection']).toBe('close')
    expect(lines.join('')).not.toContain(SECRET)
  })

  it('answers a malformed request line with 400 MALFORMED_HTTP_REQUEST', async () => {
    const { port } = await start()
    expectEnvelope(await raw(port, 'GET /v1/things/1 HTTP/9.Z\r\nHost: x\r\n\r\n'), 400, 'MALFORMED_HTTP_REQUEST')
    expectEnvelope(await raw(port, 'G@T / HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'MALFORMED_HTTP_REQUEST')
  })

  it('answers a known path with the wrong method with 405 and Allow, an unknown path with 404', async () => {
    const { app } = await start()
    const wrong = await app.inject({ method: 'PUT', url: '/v1/things/42?x=1' })
    expect(wrong.statusCode).toBe(405)
    expect(wrong.headers['allow']).toBe('DELETE, GET, HEAD')
    expect(wrong.json().error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', request_id: wrong.headers['x-request-id'] })
    const getOnPost = await app.inject({ method: 'GET', url: '/v1/things' })
    expect(getOnPost.statusCode).toBe(405)
    expect(getOnPost.headers['allow']).toBe('POST')
    const missing = await app.inject({ method: 'GET', url: '/v1/nothing' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('NOT_FOUND')
  })

  it('calls a valid body with a __proto__ key UNSAFE_JSON_KEY, not "not valid JSON"', async () => {
    const { app } = await start()
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers: { 'content-type': 'application/json' }, payload: '{"model":"m","__proto__":{"isAdmin":true}}' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'UNSAFE_JSON_KEY', details: { key: '__proto__' } })
  })

  it('refuses a body nested 10,000 levels deep with 400 JSON_TOO_DEEP', async () => {
    const { app } = await start()
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers: { 'content-type': 'application/json' }, payload: `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}` })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'JSON_TOO_DEEP', details: { maxDepth: 128 } })
  })
})
