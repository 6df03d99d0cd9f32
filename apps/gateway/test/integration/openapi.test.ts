import { describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-test-app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

interface OpenApiDoc {
  openapi: string
  paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>, requestBody?: unknown, responses?: Record<string, unknown> }>>
  components: { schemas?: Record<string, unknown>, securitySchemes: Record<string, unknown> }
}

/** Every `$ref` in the document, so we can check each one points at something that exists. */
function refsOf (value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out)
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refsOf(v, out)
    }
  }
  return out
}

describe('GET /v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document of the client and admin API, without a key and without secrets', async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1/openapi.json' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const doc = JSON.parse(res.body) as OpenApiDoc
    expect(doc.openapi).toBe('3.1.0')

    const paths = Object.keys(doc.paths)
    for (const path of ['/v1/chat/completions', '/v1/models', '/v1/api-keys', '/v1/api-keys/{id}', '/v1/admin/plans', '/v1/admin/plans/{plan}',
      '/v1/admin/users', '/v1/admin/users/{id}', '/v1/admin/users/{id}/keys', '/v1/admin/users/{id}/keys/{keyId}', '/v1/debug/config', '/v1/debug/bundle']) {
      expect(paths).toContain(path)
    }
    // service-to-service, load-balancer and the document itself are not part of the public API
    expect(paths.filter((p) => !p.startsWith('/v1/') || p === '/v1/openapi.json')).toEqual([])

    expect(doc.paths['/v1/admin/users/{id}/keys']?.['post']?.security).toEqual([{ adminToken: [] }])
    for (const path of ['/v1/debug/config', '/v1/debug/bundle']) expect(doc.paths[path]?.['get']?.security).toEqual([{ adminToken: [] }])
    expect(doc.paths['/v1/chat/completions']?.['post']?.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }])
    expect(doc.paths['/v1/admin/plans']?.['post']?.requestBody).toBeDefined()
    // a request's trace: the key that made it, or the admin token
    expect(doc.paths['/v1/requests/{id}']?.['get']?.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }, { adminToken: [] }])
    expect(Object.keys(doc.paths['/v1/requests/{id}']?.['get']?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX']))
    expect(Object.keys(doc.paths['/v1/admin/plans/{plan}']?.['delete']?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX']))

    for (const ref of refsOf(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//)
      expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()!)
    }
    for (const secret of [ADMIN_TOKEN, INTERNAL_TOKEN, 'DATABASE_URL', 'postgres://']) expect(res.body).not.toContain(secret)

    // the three states of a limit override, and the "inherit" PATCH value, are documented
    expect(res.body).toContain('"inherit"')
    expect(res.body).toContain('absent = inherit, null = unlimited')
  })
})
