import { createDb } from '@switchyard/db'
import { buildApp as buildRouter, loadRouterConfig } from '@switchyard/proxy-router'
import { closedPort, listenOnLoopback, startBlackhole } from '@switchyard/testing'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { startStack, writeRoutesFile, type Stack } from '../helpers/stack.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

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
    const { ask } = await appWithKey({ ROUTER_URL: hole.url, ROUTER_HEADERS_TIMEOUT_MS: '1000', ROUTER_TOTAL_TIMEOUT_MS: '500' })
    const res = await ask()
    expect(res.statusCode).toBe(504)
    expect(res.json().error.code).toBe('ROUTER_TIMEOUT')
  })
})

describe('when the gateway and router disagree on INTERNAL_TOKEN', () => {
  it('clients get 502 ROUTER_AUTH_FAILED (an operator problem), not a 401 blaming their key', async () => {
    const router = await buildRouter(loadRouterConfig({ INTERNAL_TOKEN: 'a-different-internal-token-123', ROUTES_FILE: writeRoutesFile('http://127.0.0.1:9/v1'), LOG_LEVEL: 'silent' }))
    onTestFinished(async () => { await router.close() })
    const { ask } = await appWithKey({ ROUTER_URL: await listenOnLoopback(router) })
    const res = await ask()
    expect(res.statusCode).toBe(502)
    expect(res.headers['x-should-retry']).toBe('false')
    expect(res.json().error.code).toBe('ROUTER_AUTH_FAILED')
  })
})

describe('when Redis (rate-limit store) is down', () => {
  let stack: Stack | undefined
  afterEach(async () => { await stack?.close(); stack = undefined })
  const ask = async (s: Stack, key: string) => await fetch(`${s.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] })
  })

  it('serves requests without the limit by default (RATE_LIMIT_FAIL_OPEN=true)', async () => {
    stack = await startStack({ backend: 'pglite', gatewayEnv: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } })
    const { key } = await stack.createKey('open')
    expect((await ask(stack, key)).status).toBe(200)
  })

  it('answers 503 RATE_LIMIT_STORE_UNAVAILABLE when configured to fail closed', async () => {
    stack = await startStack({ backend: 'pglite', gatewayEnv: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, RATE_LIMIT_FAIL_OPEN: 'false' } })
    const { key } = await stack.createKey('closed')
    const res = await ask(stack, key)
    expect(res.status).toBe(503)
    expect((await res.json() as { error: { code: string } }).error.code).toBe('RATE_LIMIT_STORE_UNAVAILABLE')
  })
})

describe('when Postgres is unreachable', () => {
  it('authentication answers 503 DATABASE_UNAVAILABLE, not a generic 500', async () => {
    const db = await createDb({ url: `postgres://postgres@127.0.0.1:${await closedPort()}/x`, pool: { connectTimeoutS: 1 } })
    const app = await buildApp(loadGatewayConfig({ INTERNAL_TOKEN, LOG_LEVEL: 'silent' }, 'test'), { db })
    onTestFinished(async () => { await app.close(); await db.close() })
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: 'Bearer sk-sy-' + 'a'.repeat(43) } })
    expect(res.statusCode).toBe(503)
    expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE')
    const admin = await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': INTERNAL_TOKEN } })
    expect(admin.statusCode).toBe(503)
    expect(admin.json().error.code).toBe('DATABASE_UNAVAILABLE')
  })
})
