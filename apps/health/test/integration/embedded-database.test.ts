import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { HEALTH_TOKEN, buildTestApp } from '../helpers/build-test-app.js'
import { readyOk, routerOk, startStandIn } from '../helpers/stand-ins.js'

/**
 * A gateway stand-in serving GET /internal/db as the real one does: the shared token in
 * x-internal-token, 200 { ok, kind: 'pglite' } or an error envelope. `seen` records the tokens presented.
 */
function gatewayWithDb (opts: { databaseUp: boolean, seen: Array<string | undefined> }) {
  return (app: FastifyInstance): void => {
    readyOk(app)
    app.get('/internal/db', async (request, reply) => {
      const token = request.headers['x-internal-token']
      opts.seen.push(typeof token === 'string' ? token : undefined)
      if (token !== HEALTH_TOKEN) {
        return await reply.code(401).send({ error: { message: 'Invalid internal token', type: 'authentication_error', code: 'INVALID_INTERNAL_TOKEN', param: null, request_id: 'req_x' } })
      }
      if (!opts.databaseUp) {
        return await reply.code(503).send({ error: { message: 'Database unavailable', type: 'server_error', code: 'DATABASE_UNAVAILABLE', param: null, request_id: 'req_x' } })
      }
      return { ok: true, kind: 'pglite' }
    })
  }
}

describe('GET /v1/health without DATABASE_URL (embedded database in the gateway)', () => {
  it('checks the database through the gateway with the internal token', async () => {
    const seen: Array<string | undefined> = []
    const gateway = await startStandIn(gatewayWithDb({ databaseUp: true, seen }))
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_TOKEN })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'healthy', checks: { database: { ok: true, kind: 'embedded' }, gateway: { ok: true } } })
    expect(res.json().checks.redis).toBeUndefined()
    expect(seen).toEqual([HEALTH_TOKEN])
  })

  it('reports the database down when the gateway refuses the token', async () => {
    const seen: Array<string | undefined> = []
    const gateway = await startStandIn(gatewayWithDb({ databaseUp: true, seen }))
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_TOKEN: 'a-wrong-health-token-00000' })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(503)
    expect(res.json().checks).toMatchObject({
      database: { ok: false, kind: 'embedded', error: 'HTTP 401 INVALID_INTERNAL_TOKEN' },
      gateway: { ok: true }
    })
    expect(res.body).not.toContain('a-wrong-internal-token')
  })

  it('reports the database down when the gateway cannot reach it', async () => {
    const gateway = await startStandIn(gatewayWithDb({ databaseUp: false, seen: [] }))
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_TOKEN })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(503)
    expect(res.json().checks.database).toMatchObject({ ok: false, kind: 'embedded', error: 'HTTP 503 DATABASE_UNAVAILABLE' })
  })

  it('reports the database down without calling the gateway when HEALTH_TOKEN is not set', async () => {
    const seen: Array<string | undefined> = []
    const gateway = await startStandIn(gatewayWithDb({ databaseUp: true, seen }))
    const router = await startStandIn(routerOk())
    const app = await buildTestApp({ GATEWAY_URL: gateway.url, ROUTER_URL: router.url, HEALTH_TOKEN: undefined })

    const res = await app.inject({ method: 'GET', url: '/v1/health' })

    expect(res.statusCode).toBe(503)
    expect(res.json().checks.database).toMatchObject({ ok: false, kind: 'embedded', error: 'HEALTH_TOKEN is not set' })
    expect(res.json().providerStatus).toMatchObject({ ok: false, error: 'HEALTH_TOKEN is not set' })
    expect(seen).toEqual([])
  })
})
