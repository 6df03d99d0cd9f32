import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_EMBEDDING_DIMENSIONS, faults, type StartedMockProvider } from '@switchyard/mock-provider'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { buildTableApp, internalHeaders, writeTableFile } from '../helpers/build-test-app.js'
import { recordedBody, startMock } from '../helpers/mock.js'

// POST /v1/embeddings through the same attempt loop as chat completions: retries, fallbacks,
// the x-switchyard-* headers, and specific errors.

interface EmbeddingList { object: string, data: Array<{ index: number, embedding: number[] }>, model: string, usage: { prompt_tokens: number, total_tokens: number } }
interface Envelope { error: { code: string, details: Record<string, unknown> } }

const embeddingCalls = (mock: StartedMockProvider) => mock.requests.filter((r) => r.path === '/v1/embeddings').length
const embed = (body: Record<string, unknown>) => ({ method: 'POST' as const, url: '/v1/embeddings', headers: internalHeaders, payload: body })

describe('POST /v1/embeddings', () => {
  it('returns the provider\'s vectors and usage for the alias, sending the deployment\'s model upstream', async () => {
    const mock = await startMock()
    const app = await buildTableApp(writeTableFile({ mock: mock.baseUrl }, { vectors: [{ provider: 'mock', model: 'mock-embedding' }] }))
    const res = await app.inject(embed({ model: 'vectors', input: ['first text', 'second text'] }))
    expect(res.statusCode).toBe(200)
    const body = res.json<EmbeddingList>()
    expect(body.data.map((d) => d.index)).toEqual([0, 1])
    expect(body.data[0]?.embedding).toHaveLength(DEFAULT_EMBEDDING_DIMENSIONS)
    expect(body.usage.prompt_tokens).toBeGreaterThan(0)
    expect(res.headers).toMatchObject({ 'x-switchyard-deployment': 'mock/mock-embedding', 'x-switchyard-attempts': '1' })
    expect(recordedBody(mock.requests.at(-1)?.body)).toMatchObject({ model: 'mock-embedding', input: ['first text', 'second text'] })
  })

  it('retries a 500 and falls back past a 401, like chat completions', async () => {
    const a = await startMock()
    const b = await startMock()
    const app = await buildTableApp(writeTableFile({ a: a.baseUrl, b: b.baseUrl }, { vectors: [{ provider: 'a', model: 'mock-embedding' }, { provider: 'b', model: 'mock-embedding' }] }), { ROUTER_BACKOFF_BASE_MS: '10', ROUTER_BACKOFF_CAP_MS: '20' })

    a.enqueue(faults.serverError(500))
    const retried = await app.inject(embed({ model: 'vectors', input: 'retry me' }))
    expect(retried.statusCode).toBe(200)
    expect(retried.headers).toMatchObject({ 'x-switchyard-deployment': 'a/mock-embedding', 'x-switchyard-attempts': '2' })
    expect(embeddingCalls(a)).toBe(2)

    a.enqueue(faults.invalidApiKey())
    const fellBack = await app.inject(embed({ model: 'vectors', input: 'fall back' }))
    expect(fellBack.statusCode).toBe(200)
    expect(fellBack.headers).toMatchObject({ 'x-switchyard-deployment': 'b/mock-embedding', 'x-switchyard-attempts': '2' })
    expect(embeddingCalls(a)).toBe(3)
    expect(embeddingCalls(b)).toBe(1)
  })

  it('skips an Anthropic deployment (no embeddings API) without calling it, and refuses an alias served only by one with 400 OPERATION_NOT_SUPPORTED', async () => {
    const mock = await startMock()
    const file = join(makeTempDir('router-routes'), 'routes.json')
    writeFileSync(file, JSON.stringify({
      providers: { claude: { type: 'anthropic', baseUrl: mock.baseUrl }, mock: { type: 'openai', baseUrl: mock.baseUrl } },
      models: {
        mixed: [{ provider: 'claude', model: 'mock-claude' }, { provider: 'mock', model: 'mock-embedding' }],
        'claude-only': [{ provider: 'claude', model: 'mock-claude' }]
      }
    }))
    const app = await buildTableApp(file)

    const mixed = await app.inject(embed({ model: 'mixed', input: 'hello' }))
    expect(mixed.statusCode).toBe(200)
    expect(mixed.headers).toMatchObject({ 'x-switchyard-deployment': 'mock/mock-embedding', 'x-switchyard-attempts': '2' })

    const refused = await app.inject(embed({ model: 'claude-only', input: 'hello' }))
    expect(refused.statusCode).toBe(400)
    expect(refused.json<Envelope>().error).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED', details: { provider: 'claude', operation: 'embeddings' } })
    // Neither request reached the mock's Messages API.
    expect(mock.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0)
    expect(embeddingCalls(mock)).toBe(1)
  })

  it('answers an unknown alias 404 MODEL_NOT_FOUND and a bad body 400, without calling a provider', async () => {
    const mock = await startMock()
    const app = await buildTableApp(writeTableFile({ mock: mock.baseUrl }, { vectors: [{ provider: 'mock', model: 'mock-embedding' }] }))
    const unknown = await app.inject(embed({ model: 'nope', input: 'x' }))
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json<Envelope>().error.code).toBe('MODEL_NOT_FOUND')
    for (const bad of [{ model: 'vectors' }, { model: 'vectors', input: [] }, { model: 'vectors', input: 42 }, { model: 'vectors', input: [[]] }]) {
      const res = await app.inject(embed(bad))
      expect(res.statusCode).toBe(400)
    }
    expect(mock.stats.requests).toBe(0)
  })
})
