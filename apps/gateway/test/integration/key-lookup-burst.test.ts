import { createDb } from '@switchyard/db'
import { createTestDatabase, infraFor, startTcpProxy, type TcpProxy, type TestDatabase } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

const infra = await infraFor('gateway key lookups under a burst', ['postgres'])

// Postgres sits behind a proxy that counts the bytes the gateway sends it: the database work a
// burst of requests causes, seen from outside the gateway.
describe.skipIf(!infra.ok)('a burst on a key that is not cached', () => {
  let testDb: TestDatabase
  let proxy: TcpProxy
  let app: FastifyInstance
  let key: string

  beforeAll(async () => {
    testDb = await createTestDatabase('gateway_key_burst')
    await (await createDb({ url: testDb.url, migrate: true })).close()
    const target = new URL(testDb.url)
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    const viaProxy = new URL(testDb.url)
    viaProxy.port = String(proxy.port)
    const env = { INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'silent', ROUTER_URL: 'http://127.0.0.1:9', AUTH_REVISION_POLL_MS: '60000' }
    app = await buildApp(loadGatewayConfig({ ...env, DATABASE_URL: viaProxy.toString() }, 'test'))
    key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'k' } })).json<{ key: string }>().key
  })
  afterAll(async () => {
    await app?.close()
    await proxy?.close()
    await testDb?.drop()
  })

  const burst = async (n: number): Promise<{ bytes: number, codes: string[] }> => {
    app.keyCache.clear()
    const before = proxy.bytesToServer
    const answers = await Promise.all(Array.from({ length: n }, async () => await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } })))
    return { bytes: proxy.bytesToServer - before, codes: answers.map((a) => a.json<{ error: { code: string } }>().error.code) }
  }

  it('asks Postgres about the key once, not once per request, and every request gets past authentication', async () => {
    const one = await burst(1)
    expect(one.bytes).toBeGreaterThan(0)
    const many = await burst(200)
    // The router is unreachable on purpose: ROUTER_UNAVAILABLE means authentication passed
    // (not DATABASE_UNAVAILABLE, not INVALID_API_KEY).
    expect(new Set(many.codes)).toEqual(new Set(['ROUTER_UNAVAILABLE']))
    expect(many.bytes).toBeLessThan(5 * one.bytes)
  })
})
