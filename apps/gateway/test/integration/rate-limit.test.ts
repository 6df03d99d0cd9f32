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
})
