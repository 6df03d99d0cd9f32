import { connect } from 'node:net'
import { infraFor } from '@switchyard/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../helpers/stack.js'

const pg = await infraFor('gateway rate limits on Redis', ['postgres', 'redis'])

const ask = async (url: string, key: string) => await fetch(`${url}/v1/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] })
})

describe('request rate limit per API key', () => {
  let stack: Stack | undefined
  afterEach(async () => { await stack?.close(); stack = undefined })

  it('answers 429 RATE_LIMIT_EXCEEDED with Retry-After once a key exceeds its limit, other keys unaffected', async () => {
    stack = await startStack({ backend: 'pglite', gatewayEnv: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } })
    const a = await stack.createKey('a')
    const b = await stack.createKey('b')
    for (let i = 0; i < 3; i++) expect((await ask(stack.gatewayUrl, a.key)).status).toBe(200)
    const limited = await ask(stack.gatewayUrl, a.key)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited.headers.get('x-should-retry')).toBe('true')
    const body = await limited.json() as { error: { code: string, type: string, details: { limit: number } } }
    expect(body.error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', type: 'rate_limit_error', details: { limit: 3 } })
    expect((await ask(stack.gatewayUrl, b.key)).status).toBe(200)
  })

  it.skipIf(!pg.ok)('shares one limit across gateway instances through Redis', async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } })
    const other = await stack.startAnotherGateway()
    const { key } = await stack.createKey('shared')
    expect((await ask(stack.gatewayUrl, key)).status).toBe(200)
    expect((await ask(other.url, key)).status).toBe(200)
    expect((await ask(stack.gatewayUrl, key)).status).toBe(200)
    expect((await ask(other.url, key)).status).toBe(429)
  })

  // Metered routes count the request in their admission script (docs/adr/0029); these are the
  // cases that script alone would miss, on both stores: per process (no Redis) and Redis.
  for (const backend of ['pglite', 'postgres'] as const) {
    describe.skipIf(backend === 'postgres' && !pg.ok)(`metered routes, ${backend === 'pglite' ? 'no Redis' : 'Redis'}`, () => {
      const post = async (url: string, key: string, body: string) => await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body
      })

      it('requests refused for their body still count: a client sending bad bodies is throttled too', async () => {
        stack = await startStack({ backend, gatewayEnv: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } })
        const { key } = await stack.createKey('bad-bodies')
        for (let i = 0; i < 3; i++) {
          const res = await post(stack.gatewayUrl, key, JSON.stringify({ model: 'mock-gpt' }))
          expect(res.status).toBe(400)
        }
        // Counted after the answer: give the count a moment to land.
        await expect.poll(async () => (await ask(stack!.gatewayUrl, key)).status, { timeout: 5000 }).toBe(429)
      })

      it('a client that hangs up in the middle of its upload is counted too', async () => {
        stack = await startStack({ backend, gatewayEnv: { RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' } })
        const { key } = await stack.createKey('hang-ups')
        const { hostname, port } = new URL(stack.gatewayUrl)
        for (let i = 0; i < 2; i++) {
          // Headers promise 1,000 bytes of body; 12 arrive, then the socket closes.
          await new Promise<void>((resolve, reject) => {
            const socket = connect(Number(port), hostname, () => {
              socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${key}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model": "m`)
              setTimeout(() => { socket.destroy(); resolve() }, 100)
            })
            socket.on('error', reject)
          })
        }
        await expect.poll(async () => (await ask(stack!.gatewayUrl, key)).status, { timeout: 5000 }).toBe(429)
      })

      it('a key over its limit is refused before its body is read, and the limit holds on the other client routes', async () => {
        stack = await startStack({ backend, gatewayEnv: { RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' } })
        const { key } = await stack.createKey('flood')
        const ok = await ask(stack.gatewayUrl, key)
        expect(ok.status).toBe(200)
        expect(ok.headers.get('x-ratelimit-limit-requests')).toBe('2')
        expect(ok.headers.get('x-ratelimit-remaining-requests')).toBe('1')
        expect(ok.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/)
        expect((await ask(stack.gatewayUrl, key)).status).toBe(200)
        const third = await ask(stack.gatewayUrl, key)
        expect(third.status).toBe(429)
        expect(third.headers.get('x-ratelimit-remaining-requests')).toBe('0')
        // Not JSON at all: a 429, not INVALID_JSON, because the refusal comes before the body.
        const garbage = await post(stack.gatewayUrl, key, '{not json')
        expect(garbage.status).toBe(429)
        expect(Number(garbage.headers.get('retry-after'))).toBeGreaterThan(0)
        expect(((await garbage.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMIT_EXCEEDED')
        // One counter per key: the unmetered routes see the same window.
        const models = await fetch(`${stack.gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } })
        expect(models.status).toBe(429)
      })
    })
  }
})
