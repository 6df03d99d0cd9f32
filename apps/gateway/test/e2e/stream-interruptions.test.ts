import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { listenOnLoopback } from '@switchyard/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'
import { startStack, type Stack } from '../helpers/stack.js'

const streamBody = JSON.stringify({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'a b c d e f g h i j k l m n o p' }] })

async function createKey (url: string): Promise<string> {
  const res = await fetch(`${url}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"s"}' })
  return (await res.json() as { key: string }).key
}

describe('stream interruptions', () => {
  let stack: Stack | undefined
  afterEach(async () => { await stack?.close(); stack = undefined })

  it('a client that disconnects mid-stream makes the provider connection close (gateway → router → provider)', async () => {
    stack = await startStack({ backend: 'pglite', chunkDelayMs: 100 })
    const providerSocket = new Promise<Socket>((resolve) => {
      stack!.mock.server.on('request', (req: IncomingMessage) => { if (req.url?.includes('chat/completions') === true) resolve(req.socket) })
    })
    const { key } = await stack.createKey('abort')
    const ac = new AbortController()
    const res = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: streamBody, signal: ac.signal })
    const reader = res.body!.getReader()
    await reader.read() // the first bytes arrived: the provider is mid-stream
    const socket = await providerSocket
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    const requestsBefore = stack.mock.stats.requests
    ac.abort()
    // A finished stream leaves its keep-alive socket open, so only an abort that travelled
    // gateway → router → provider closes it; if it does not, this await times the test out.
    await closed
    expect(stack.mock.stats.requests).toBe(requestsBefore) // and nothing re-sent the request
  })

  it('a router connection that breaks mid-stream ends the client stream with a ROUTER_UNAVAILABLE error event', async () => {
    // A fake router: starts an SSE answer, sends one chunk, then drops the socket.
    const fakeRouter: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-switchyard-provider': 'mock' })
      res.write('data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n')
      setTimeout(() => res.socket?.destroy(), 50)
    })
    const routerUrl = await listenOnLoopback({ listen: async (o) => await new Promise((resolve) => fakeRouter.listen(o.port, o.host, () => resolve(''))), server: fakeRouter })
    try {
      const { app } = await buildTestApp({ ROUTER_URL: routerUrl })
      const url = await listenOnLoopback(app)
      const key = await createKey(url)
      const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: streamBody })
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).toContain('"content":"Hel"')
      const last = text.trimEnd().split('\n\n').at(-1) ?? ''
      expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { code: 'ROUTER_UNAVAILABLE', type: 'api_error', request_id: res.headers.get('x-request-id') } })
    } finally {
      await new Promise((resolve) => fakeRouter.close(resolve))
    }
  })
})
