import { createDb } from '@switchyard/db'
import { createTestDatabase, infraFor, startTcpProxy, type TcpProxy, type TestDatabase } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, loadGatewayConfig } from '../../src/app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

const infra = await infraFor('gateway with a stalled Postgres', ['postgres'])

describe.skipIf(!infra.ok)('when Postgres stops answering on connections that are already open', () => {
  let testDb: TestDatabase
  let proxy: TcpProxy
  let app: FastifyInstance
  let key: string

  beforeAll(async () => {
    testDb = await createTestDatabase('gateway_stall')
    await (await createDb({ url: testDb.url, migrate: true })).close()
    const target = new URL(testDb.url)
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    const viaProxy = new URL(testDb.url)
    viaProxy.port = String(proxy.port)
    // The gateway opens its own pool from config, so DB_QUERY_TIMEOUT_MS is taken from the environment.
    const env = { INTERNAL_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'silent', ROUTER_URL: 'http://127.0.0.1:9' }
    app = await buildApp(loadGatewayConfig({ ...env, DATABASE_URL: viaProxy.toString(), DB_QUERY_TIMEOUT_MS: '800', DB_CONNECT_TIMEOUT_S: '2' }, 'test'))
    // Created while the database answers; creating does not put the key in the auth cache.
    key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'k' } })).json<{ key: string }>().key
    proxy.stall()
  })
  afterAll(async () => {
    proxy?.resume()
    await app?.close()
    await proxy?.close()
    await testDb?.drop()
  })

  const expectUnavailable = async (res: Awaited<ReturnType<FastifyInstance['inject']>>, startedAt: number) => {
    expect(res.statusCode).toBe(503)
    expect(res.headers['x-should-retry']).toBe('true')
    expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE')
    // Bounded by DB_QUERY_TIMEOUT_MS (800 ms), not by anything the dead server does; generous margin.
    expect(performance.now() - startedAt).toBeLessThan(8000)
  }

  it('a request with an uncached key gets 503 DATABASE_UNAVAILABLE instead of hanging', async () => {
    const t0 = performance.now()
    await expectUnavailable(await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } }), t0)
  })

  it('the admin API answers 503 DATABASE_UNAVAILABLE', async () => {
    const t0 = performance.now()
    await expectUnavailable(await app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }), t0)
  })

  it('/internal/db (the health service\'s probe) answers 503 DATABASE_UNAVAILABLE', async () => {
    const t0 = performance.now()
    await expectUnavailable(await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': INTERNAL_TOKEN } }), t0)
  })

  it('recovers on fresh connections once the server answers again', async () => {
    proxy.resume()
    const res = await app.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': INTERNAL_TOKEN } })
    expect(res.statusCode).toBe(200)
    proxy.stall()
  })
})
