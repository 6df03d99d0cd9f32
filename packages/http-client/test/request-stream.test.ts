import { getEventListeners, once } from 'node:events'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { requestStream } from '../src/index.js'
import { expectAbortWhileWaiting, readBody, recordingPool, serve } from './serve.js'

describe('requestStream', () => {
  it('resolves at the headers and hands the body on chunk by chunk, as the server sends it', async () => {
    let seen: { method?: string, url?: string, token?: string, body?: string } = {}
    let held: ServerResponse | undefined
    const { pool } = await serve((req, res) => {
      void readBody(req).then((body) => {
        seen = { method: req.method, url: req.url, token: req.headers['x-internal-token'] as string, body }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-switchyard-provider': 'mock' })
        res.write('data: one\n\n')
        held = res
      })
    })
    const res = await requestStream(pool, { method: 'POST', path: '/v1/x', headers: { 'x-internal-token': 'secret' }, body: '{"stream":true}' })
    expect(seen).toEqual({ method: 'POST', url: '/v1/x', token: 'secret', body: '{"stream":true}' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-switchyard-provider']).toBe('mock')
    // The first event is readable while the server still holds the rest back.
    const [first] = await once(res.body, 'data') as [Buffer]
    expect(first.toString()).toBe('data: one\n\n')
    res.body.pause()
    held?.end('data: two\n\n')
    expect(await res.body.text()).toBe('data: two\n\n')
  })

  it('returns error statuses like any other answer, with text() decoding the body (a BOM dropped)', async () => {
    const { pool } = await serve((_req, res) => { res.writeHead(429, { 'retry-after': '3' }).end('\uFEFF{"error":{"code":"X"}}') })
    const res = await requestStream(pool, { method: 'GET', path: '/' })
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('3')
    expect(JSON.parse(await res.body.text())).toEqual({ error: { code: 'X' } })
  })

  it('pauses the connection while nobody reads, and delivers every byte once read', async () => {
    const size = 4 * 1024 * 1024
    let blocked = false
    const { pool } = await serve((_req, res) => {
      res.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      let sent = 0
      const pump = (): void => {
        while (sent < size) {
          sent += chunk.length
          if (!res.write(chunk)) { blocked = true; res.once('drain', pump); return }
        }
        res.end()
      }
      pump()
    })
    const res = await requestStream(pool, { method: 'GET', path: '/' })
    // Unread, the body fills its buffer, undici stops reading the socket and the server's
    // writes back up: without backpressure 4 MiB would pass through loopback unhindered.
    await expect.poll(() => blocked).toBe(true)
    expect(res.body.readableLength).toBeLessThan(size)
    let received = 0
    for await (const chunk of res.body) received += (chunk as Buffer).length
    expect(received).toBe(size)
  })

  it('rejects a call aborted before the answer with the signal\'s reason, closes that connection and removes its listener', async () => {
    await expectAbortWhileWaiting(async (pool, signal) => await requestStream(pool, { method: 'GET', path: '/', signal }))
  })

  it('destroys the body with the signal\'s reason when aborted mid-stream, and closes that connection', async () => {
    let closed = false
    const { pool } = await serve((req, res) => {
      req.socket.once('close', () => { closed = true })
      res.writeHead(200).write('data: partial\n\n')
    })
    const controller = new AbortController()
    const res = await requestStream(pool, { method: 'GET', path: '/', signal: controller.signal })
    const text = res.body.text()
    controller.abort(new Error('client disconnected'))
    await expect(text).rejects.toThrow('client disconnected')
    await expect.poll(() => closed).toBe(true)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('closes the connection when the body is destroyed before its end, so a half-read answer is never reused', async () => {
    const sockets: Socket[] = []
    let closed = 0
    const { pool } = await serve((req, res) => {
      sockets.push(req.socket)
      req.socket.once('close', () => { closed++ })
      if (req.url === '/long') res.writeHead(200).write('data: first\n\n')
      else res.end('next')
    }, { connections: 1 })
    const long = await requestStream(pool, { method: 'GET', path: '/long' })
    await once(long.body, 'data')
    long.body.destroy()
    await expect.poll(() => closed).toBe(1)
    const next = await requestStream(pool, { method: 'GET', path: '/next' })
    expect(await next.body.text()).toBe('next')
    expect(sockets).toHaveLength(2)
    expect(sockets[1]).not.toBe(sockets[0])
  })

  it('keeps the connection of a body read to its end for the next call', async () => {
    const sockets = new Set<unknown>()
    const { pool } = await serve((req, res) => { sockets.add(req.socket); res.end('x') }, { connections: 1 })
    for (let i = 0; i < 10; i++) expect(await (await requestStream(pool, { method: 'GET', path: '/' })).body.text()).toBe('x')
    expect(sockets.size).toBe(1)
  })

  it('errors the body when the connection ends right after the headers and a piece of the body', async () => {
    const { pool } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('data: cut')
      // Headers, a piece of the body and the end of the connection arrive together: the body
      // fails before the caller's await has even resumed.
      res.socket?.end()
    })
    const res = await requestStream(pool, { method: 'GET', path: '/' })
    expect(res.statusCode).toBe(200)
    await expect(res.body.text()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('errors the body with the pool\'s body timeout when the server goes silent mid-stream', async () => {
    const { pool } = await serve((_req, res) => { res.writeHead(200).write('data: one\n\n') }, { bodyTimeout: 100 })
    const res = await requestStream(pool, { method: 'GET', path: '/' })
    await expect(res.body.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' })
  })

  it('rejects with the pool\'s headers timeout when the server stays silent', async () => {
    const { pool } = await serve(() => {}, { headersTimeout: 100 })
    await expect(requestStream(pool, { method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' })
  })

  it('rejects at once a call aborted while it waits for a connection, and never sends it', async () => {
    const urls: string[] = []
    const { pool } = await serve((req, res) => {
      urls.push(req.url ?? '')
      if (req.url === '/slow') res.writeHead(200).write('data: held\n\n')
      else res.end('fast')
    }, { connections: 1 })
    const slow = await requestStream(pool, { method: 'GET', path: '/slow' })
    const controller = new AbortController()
    const queued = requestStream(pool, { method: 'GET', path: '/queued', signal: controller.signal })
    controller.abort(new Error('client disconnected'))
    // The only connection is still busy: this settles only if the abort rejects the queued call.
    await expect(queued).rejects.toThrow('client disconnected')
    slow.body.destroy()
    expect(await (await requestStream(pool, { method: 'GET', path: '/next' })).body.text()).toBe('fast')
    expect(urls).toEqual(['/slow', '/next'])
  })

  it('never sends a call whose signal has already fired', async () => {
    let requests = 0
    const { pool } = await serve((_req, res) => { requests++; res.end('ok') })
    await expect(requestStream(pool, { method: 'GET', path: '/', signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone')
    await (await requestStream(pool, { method: 'GET', path: '/' })).body.text()
    expect(requests).toBe(1)
  })

  it('skips informational answers (103 Early Hints) and resolves with the final one', async () => {
    const { pool } = await serve((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' })
      res.writeHead(200, { 'x-final': 'yes' }).end('done')
    })
    const res = await requestStream(pool, { method: 'GET', path: '/' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-final']).toBe('yes')
    expect(await res.body.text()).toBe('done')
  })

  it('goes through interceptors composed onto the pool (the router times provider calls that way)', async () => {
    const { pool } = await serve((_req, res) => { res.writeHead(200).end('timed') })
    const events: string[] = []
    const timed = recordingPool(pool, events)
    const res = await requestStream(timed, { method: 'GET', path: '/' })
    expect(await res.body.text()).toBe('timed')
    expect(events).toEqual(['start 200', 'end'])
  })
})
