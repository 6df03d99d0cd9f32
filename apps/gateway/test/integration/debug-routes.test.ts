import { createHash } from 'node:crypto'
import { usageEvents } from '@switchyard/db/schema'
import { closedPort, startBlackhole } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
const HEALTH_TOKEN = 'test-health-token-0123456789'
const sha12 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12)

async function deadPeers (): Promise<Record<string, string>> {
  return { ROUTER_URL: `http://127.0.0.1:${await closedPort()}`, HEALTH_URL: `http://127.0.0.1:${await closedPort()}` }
}

describe('GET /v1/debug/config', () => {
  it('shows the gateway\'s own masked configuration and an error code for each peer that cannot answer', async () => {
    const { app } = await buildTestApp({ ...await deadPeers(), DATABASE_URL: undefined })
    const res = await app.inject({ url: '/v1/debug/config', headers: admin })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.versions).toEqual({ gateway: 'test', 'proxy-router': null, health: null })
    expect(body.services.gateway).toMatchObject({
      service: 'gateway',
      version: 'test',
      node: process.version,
      config: {
        ADMIN_TOKEN: { set: true, sha256: sha12(ADMIN_TOKEN) },
        INTERNAL_TOKEN: { set: true, sha256: sha12(INTERNAL_TOKEN) },
        HEALTH_TOKEN: { set: false, sha256: null },
        HEALTH_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        REDIS_KEY_PREFIX: 'switchyard:'
      }
    })
    expect(body.services['proxy-router']).toEqual({ error: 'ECONNREFUSED' })
    expect(body.services.health).toEqual({ error: 'HEALTH_TOKEN_NOT_SET' })
    expect(res.body).not.toContain(ADMIN_TOKEN)
    expect(res.body).not.toContain(INTERNAL_TOKEN)
  })

  it('answers within the peer deadline when a peer accepts connections and never answers', async () => {
    const silent = await startBlackhole()
    onTestFinished(async () => { await silent.close() })
    const { app } = await buildTestApp({ ROUTER_URL: silent.url, HEALTH_URL: silent.url, HEALTH_TOKEN })
    const started = Date.now()
    const res = await app.inject({ url: '/v1/debug/config', headers: admin })
    expect(Date.now() - started).toBeLessThan(8000)
    expect(res.json().services).toMatchObject({ 'proxy-router': { error: 'TIMEOUT' }, health: { error: 'TIMEOUT' } })
  })

  it('refuses a wrong admin token and a client API key, and is disabled without ADMIN_TOKEN', async () => {
    const { app } = await buildTestApp(await deadPeers())
    for (const headers of [{}, { authorization: `Bearer ${ADMIN_TOKEN.replace(/.$/, 'X')}` }, { authorization: `Bearer ${INTERNAL_TOKEN}` }, { 'x-internal-token': INTERNAL_TOKEN }]) {
      for (const url of ['/v1/debug/config', '/v1/debug/bundle']) {
        const res = await app.inject({ url, headers })
        expect(res.statusCode).toBe(401)
        expect(res.json().error.code).toBe('INVALID_ADMIN_TOKEN')
      }
    }
    const { app: disabled } = await buildTestApp({ ...await deadPeers(), ADMIN_TOKEN: undefined })
    expect((await disabled.inject({ url: '/v1/debug/config', headers: admin })).statusCode).toBe(401)
  })
})

describe('GET /v1/debug/bundle', () => {
  it('is a download with the newest failed requests first, and error codes for the peers that are down', async () => {
    const { app, db } = await buildTestApp(await deadPeers())
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'bundle' } })).json<{ id: string }>()
    const row = { apiKeyId: key.id, model: 'mock-gpt', latencyMs: 12 }
    await db.db.insert(usageEvents).values([
      { ...row, requestId: 'req_ok', statusCode: 200, createdAt: new Date(Date.now() - 3000) },
      { ...row, requestId: 'req_502', statusCode: 502, errorCode: 'PROVIDER_UNAVAILABLE', deployment: 'mock/mock-gpt', attempts: [{ deployment: 'mock/mock-gpt', code: 'PROVIDER_UNAVAILABLE', upstreamStatus: 500, durationMs: 5 }], createdAt: new Date(Date.now() - 2000) },
      { ...row, requestId: 'req_stream_broke', statusCode: 200, errorCode: 'PROVIDER_STREAM_ERROR', streamed: true, createdAt: new Date(Date.now() - 1000) },
      { ...row, requestId: 'req_long_ago', statusCode: 500, errorCode: 'INTERNAL_ERROR', createdAt: new Date(Date.now() - 30 * 86_400_000) }
    ])
    const res = await app.inject({ url: '/v1/debug/bundle', headers: admin })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="switchyard-bundle-\d{8}T\d{6}Z\.json"$/)
    const bundle = res.json()
    expect(Object.keys(bundle).sort()).toEqual(['config', 'failedRequests', 'generatedAt', 'health', 'router', 'versions'])
    expect(bundle.health).toEqual({ error: 'ECONNREFUSED' })
    expect(bundle.router).toEqual({ error: 'ECONNREFUSED' })
    expect(bundle.config.gateway.config.ADMIN_TOKEN).toEqual({ set: true, sha256: sha12(ADMIN_TOKEN) })
    expect(bundle.failedRequests.limit).toBe(100)
    expect(bundle.failedRequests.requests.map((r: { requestId: string }) => r.requestId)).toEqual(['req_stream_broke', 'req_502'])
    expect(bundle.failedRequests.requests[1]).toMatchObject({
      status: 502,
      code: 'PROVIDER_UNAVAILABLE',
      model: 'mock-gpt',
      endpoint: 'chat.completions',
      deployment: 'mock/mock-gpt',
      attempts: [{ deployment: 'mock/mock-gpt', code: 'PROVIDER_UNAVAILABLE', upstreamStatus: 500, durationMs: 5 }],
      latencyMs: 12,
      streamed: false
    })
    expect(res.body).not.toContain(ADMIN_TOKEN)
  })
})

describe('the gateway\'s /internal routes', () => {
  it('all require the internal token, and unknown /internal paths are a 404 in the error envelope', async () => {
    const { app } = await buildTestApp(await deadPeers())
    await app.ready()
    // Every /internal route the gateway serves, read off its route tree.
    const internalPaths = app.printRoutes({ commonPrefix: false }).split('\n')
      .map((line) => /(\/internal\/\S*)/.exec(line)?.[1])
      .filter((path): path is string => path !== undefined)
    expect(internalPaths).toContain('/internal/db')
    for (const url of internalPaths) {
      for (const headers of [{}, admin, { 'x-internal-token': 'wrong-internal-token-0123' }]) {
        const res = await app.inject({ url, headers })
        expect(res.statusCode, url).toBe(401)
        expect(res.json().error.code).toBe('INVALID_INTERNAL_TOKEN')
      }
    }
    for (const url of ['/internal/debug/config', '/internal/providers', '/internal/nothing', '/internal']) {
      const res = await app.inject({ url, headers: { 'x-internal-token': INTERNAL_TOKEN } })
      expect(res.statusCode, url).toBe(404)
      expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', type: expect.any(String), request_id: expect.any(String) })
    }
  })
})
