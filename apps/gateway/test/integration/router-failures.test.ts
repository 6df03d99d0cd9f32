import { closedPort, startBlackhole } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN } from '../helpers/tokens.js'

async function appWithKey (env: Record<string, string>) {
  const { app } = await buildTestApp(env)
  const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'k' } })
  const ask = async () => await app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${created.json().key as string}` },
    payload: { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }
  })
  return { app, ask }
}

describe('when the proxy-router itself fails', () => {
  it('a router that refuses connections gives 502 ROUTER_UNAVAILABLE, retryable', async () => {
    const { ask } = await appWithKey({ ROUTER_URL: `http://127.0.0.1:${await closedPort()}` })
    const res = await ask()
    expect(res.statusCode).toBe(502)
    expect(res.headers['x-should-retry']).toBe('true')
    expect(res.json().error).toMatchObject({ code: 'ROUTER_UNAVAILABLE', type: 'api_error' })
  })

  it('a router that accepts and never answers gives 504 ROUTER_TIMEOUT after ROUTER_HEADERS_TIMEOUT_MS', async () => {
    const hole = await startBlackhole()
    onTestFinished(async () => { await hole.close() })
    const { ask } = await appWithKey({ ROUTER_URL: hole.url, ROUTER_HEADERS_TIMEOUT_MS: '1000' })
    const res = await ask()
    expect(res.statusCode).toBe(504)
    expect(res.json().error.code).toBe('ROUTER_TIMEOUT')
  })
})
