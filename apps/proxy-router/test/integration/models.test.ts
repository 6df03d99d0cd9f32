import { describe, expect, it } from 'vitest'
import { buildTestApp, closedPortUrl, internalHeaders } from '../helpers/build-test-app.js'

describe('GET /v1/models', () => {
  it('lists every alias of the routing table in OpenAI\'s shape, owned by its provider', async () => {
    const before = Math.floor(Date.now() / 1000)
    const app = await buildTestApp(await closedPortUrl())
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: internalHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json<{ object: string, data: Array<{ id: string, object: string, created: number, owned_by: string }> }>()
    expect(body.object).toBe('list')
    expect(body.data.map((m) => m.id)).toEqual(['mock-gpt', 'mock-gpt-mini', 'fast'])
    for (const model of body.data) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'mock' })
      expect(model.created).toBeGreaterThanOrEqual(before)
      expect(model.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    }
    // Boot time, not request time: the same on every call.
    const again = await app.inject({ method: 'GET', url: '/v1/models', headers: internalHeaders })
    expect(again.json()).toEqual(body)
  })
})
