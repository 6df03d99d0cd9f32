import type { ServerResponse } from 'node:http'
import { Pool } from 'undici'
import { describe, expect, it } from 'vitest'
import { requestWhole } from '../src/index.js'
import { expectAbortWhileWaiting, readBody, recordingPool, serve } from './serve.js'

describe('requestWhole', () => {
  it('sends method, path, headers and body, and returns status, lower-case headers and the whole body of a chunked answer', async () => {
    let seen: { method?: string, url?: string, token?: string, body?: string } = {}
    const { pool } = await serve((req, res) => {
      void readBody(req).then((body) => {
        seen = { method: req.method, url: req.url, token: req.headers['x-internal-token'] as string, body }
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Switchyard-Usage': '1 2 3' })
        res.write('{"a":')
        setTimeout(() => { res.write('"bc"') }, 20)
        setTimeout(() => { res.end('}') }, 40)
      })
    })
    const res = await requestWhole(pool, { method: 'POST', path: '/v1/x?y=1', headers: { 'x-internal-token': 'secret', 'content-type': 'application/json' }, body: '{"q":1}' })
    expect(seen).toEqual({ method: 'POST', url: '/v1/x?y=1', token: 'secret', body: '{"q":1}' })
    expect(res.statusCode).toBe(201)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['x-switchyard-usage']).toBe('1 2 3')
    expect(res.body.toString()).toBe('{"a":"bc"}')
  })

  it('returns error statuses and empty bodies like any other answer', async () => {
    const { pool } = await serve((req, res) => {
      if (req.url === '/empty') { res.writeHead(204).end(); return }
      res.writeHead(503, { 'retry-after': '3' }).end('{"error":{"code":"X"}}')
    })
    const failed = await requestWhole(pool, { method: 'GET', path: '/' })
    expect(failed.statusCode).toBe(503)
    expect(failed.headers['retry-after']).toBe('3')
    expect(JSON.parse(failed.body.toString())).toEqual({ error: { code: 'X' } })
    const empty = await requestWhole(pool, { method: 'GET', path: '/empty' })
    expect(empty.statusCode).toBe(204)
    expect(empty.body.length).toBe(0)
  })

  it('aborts a call waiting for headers with the signal\'s reason, closes that connection and removes its listener', async () => {
    await expectAbortWhileWaiting(async (pool, signal) => await requestWhole(pool, { method: 'GET', path: '/', signal }))
  })

  it('reports status and headers before the body, even when the body then fails', async () => {
    const { pool } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100', 'x-switchyard-provider': 'mock' })
      res.write('{"cut":')
      setTimeout(() => { res.socket?.destroy() }, 20)
    })
    const seen: Array<[number, string | string[] | undefined]> = []
    const call = requestWhole(pool, { method: 'GET', path: '/', onHeaders: (status, headers) => { seen.push([status, headers['x-switchyard-provider']]) } })
    await expect(call).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(seen).toEqual([[200, 'mock']])
  })

  it('aborts mid-body', async () => {
    const { pool } = await serve((_req, res) => { res.writeHead(200); res.write('{"partial":') })
    const controller = new AbortController()
    const call = requestWhole(pool, { method: 'GET', path: '/', signal: controller.signal })
    setTimeout(() => { controller.abort() }, 50)
    await expect(call).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('rejects at once a call aborted while it waits for a connection, and never sends it', async () => {
    const urls: string[] = []
    let holding: ServerResponse | undefined
    const { pool } = await serve((req, res) => {
      urls.push(req.url ?? '')
      if (req.url === '/slow') holding = res
      else res.end('fast')
    }, { connections: 1 })
    const slow = requestWhole(pool, { method: 'GET', path: '/slow' })
    await expect.poll(() => holding).toBeDefined()
    const controller = new AbortController()
    const queued = requestWhole(pool, { method: 'GET', path: '/queued', signal: controller.signal })
    controller.abort(new Error('client disconnected'))
    // The only connection is still busy: this settles only if the abort rejects the queued call.
    await expect(queued).rejects.toThrow('client disconnected')
    holding?.end('slow')
    expect((await slow).body.toString()).toBe('slow')
    expect((await requestWhole(pool, { method: 'GET', path: '/next' })).body.toString()).toBe('fast')
    expect(urls).toEqual(['/slow', '/next'])
  })

  it('skips informational answers (103 Early Hints) and reports the final status', async () => {
    const { pool } = await serve((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' })
      res.writeHead(200, { 'x-final': 'yes' }).end('done')
    })
    const seen: number[] = []
    const res = await requestWhole(pool, { method: 'GET', path: '/', onHeaders: (status) => { seen.push(status) } })
    expect(seen).toEqual([200])
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-final']).toBe('yes')
    expect(res.body.toString()).toBe('done')
  })

  it('never sends a call whose signal has already fired', async () => {
    let requests = 0
    const { pool } = await serve((_req, res) => { requests++; res.end('ok') })
    await expect(requestWhole(pool, { method: 'GET', path: '/', signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone')
    await requestWhole(pool, { method: 'GET', path: '/' })
    expect(requests).toBe(1)
  })

  it('rejects with the dispatcher\'s error when the server drops the connection mid-body', async () => {
    const { pool } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('{"cut":')
      setTimeout(() => { res.socket?.destroy() }, 20)
    })
    await expect(requestWhole(pool, { method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('rejects with the pool\'s headers timeout when the server stays silent', async () => {
    const { pool } = await serve(() => {}, { headersTimeout: 100 })
    await expect(requestWhole(pool, { method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' })
  })

  it('rejects when nothing listens (connect refused) and when the pool is closed', async () => {
    const { pool } = await serve((_req, res) => { res.end() })
    const nobody = new Pool('http://127.0.0.1:1', { connect: { timeout: 1000 } })
    await expect(requestWhole(nobody, { method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await nobody.close()
    await pool.close()
    await expect(requestWhole(pool, { method: 'GET', path: '/' })).rejects.toMatchObject({ code: expect.stringMatching(/^UND_ERR_(CLOSED|DESTROYED)$/) })
  })

  it('goes through interceptors composed onto the pool (the router times provider calls that way)', async () => {
    const { pool } = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }).end('timed') })
    const events: string[] = []
    const timed = recordingPool(pool, events)
    const res = await requestWhole(timed, { method: 'GET', path: '/' })
    expect(res.body.toString()).toBe('timed')
    expect(events).toEqual(['start 200', 'end'])
  })

  it('reuses keep-alive connections for sequential calls', async () => {
    const sockets = new Set<unknown>()
    const { pool } = await serve((req, res) => { sockets.add(req.socket); res.end('x') })
    for (let i = 0; i < 20; i++) await requestWhole(pool, { method: 'GET', path: '/' })
    // Two, not one: undici frees a socket one event-loop turn after its answer ended, and the
    // next call is sent before that, so sequential calls alternate between two connections.
    expect(sockets.size).toBeLessThanOrEqual(2)
  })
})
