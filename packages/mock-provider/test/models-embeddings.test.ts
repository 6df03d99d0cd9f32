import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MODELS, type EmbeddingList, type ModelList } from '../src/index.js'
import { postJson } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'

describe('GET /v1/models', () => {
  it('lists the default models in OpenAI\'s list shape', async () => {
    const provider = await startForTest()
    const res = await request(`${provider.baseUrl}/models`)
    expect(res.statusCode).toBe(200)
    const list = await res.body.json() as ModelList
    expect(list.object).toBe('list')
    expect(list.data.map((m) => m.id)).toEqual([...DEFAULT_MODELS])
    expect(list.data.map((m) => m.id)).toEqual(expect.arrayContaining(['mock-gpt', 'mock-gpt-mini']))
    for (const model of list.data) {
      expect(model).toEqual({ id: model.id, object: 'model', created: expect.any(Number), owned_by: expect.any(String) })
    }
  })

  it('lists configured models and retrieves one, 404 model_not_found for others', async () => {
    const provider = await startForTest({ models: ['a-model', 'b-model'] })
    const list = await (await request(`${provider.baseUrl}/models`)).body.json() as ModelList
    expect(list.data.map((m) => m.id)).toEqual(['a-model', 'b-model'])
    const one = await request(`${provider.baseUrl}/models/b-model`)
    expect(await one.body.json()).toMatchObject({ id: 'b-model', object: 'model' })
    const missing = await request(`${provider.baseUrl}/models/c-model`)
    expect(missing.statusCode).toBe(404)
    expect(await missing.body.json()).toMatchObject({ error: { code: 'model_not_found' } })
  })
})

describe('POST /v1/embeddings', () => {
  it('returns one deterministic unit vector of 8 dimensions per input, with usage', async () => {
    const provider = await startForTest()
    const ask = async (input: unknown): Promise<EmbeddingList> =>
      await (await postJson(`${provider.baseUrl}/embeddings`, { model: 'mock-embedding', input })).body.json() as EmbeddingList

    const first = await ask(['hello world', 'goodbye'])
    expect(first).toMatchObject({ object: 'list', model: 'mock-embedding', usage: { prompt_tokens: 3, total_tokens: 3 } })
    expect(first.data.map((d) => [d.object, d.index])).toEqual([['embedding', 0], ['embedding', 1]])
    const [a, b] = first.data.map((d) => d.embedding as number[])
    expect(a).toHaveLength(8)
    expect(Math.hypot(...a!)).toBeCloseTo(1, 6)
    expect(a).not.toEqual(b)

    const again = await ask('hello world')
    expect(again.data[0]?.embedding).toEqual(a)
  })

  it('honours dimensions and base64 encoding (what the OpenAI SDKs ask for by default)', async () => {
    const provider = await startForTest()
    const floats = await (await postJson(`${provider.baseUrl}/embeddings`, { model: 'm', input: 'x', dimensions: 20 })).body.json() as EmbeddingList
    const vector = floats.data[0]?.embedding as number[]
    expect(vector).toHaveLength(20)

    const encoded = await (await postJson(`${provider.baseUrl}/embeddings`, { model: 'm', input: 'x', dimensions: 20, encoding_format: 'base64' })).body.json() as EmbeddingList
    const bytes = Buffer.from(encoded.data[0]?.embedding as string, 'base64')
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))
    expect(decoded).toHaveLength(20)
    decoded.forEach((v, i) => expect(v).toBeCloseTo(vector[i]!, 6))
  })

  it('answers 400 in OpenAI\'s shape without input', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/embeddings`, { model: 'm' })
    expect(res.statusCode).toBe(400)
    expect(await res.body.json()).toMatchObject({ error: { param: 'input', code: 'missing_required_parameter', type: 'invalid_request_error' } })
  })
})
