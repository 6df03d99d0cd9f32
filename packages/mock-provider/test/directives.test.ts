import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import type { ChatCompletion, ChatCompletionChunk, MockStatsBody } from '../src/index.js'
import { chatBody, postJson, testAgent } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'
import { SseReader } from './helpers/sse-reader.js'

// Directives are how the bench steers a mock in another process through the gateway and the
// router: they ride in the body's `metadata`, the only part of a request both forward unchanged.

describe('request directives (directives: true)', () => {
  it('makes the reply exactly mock_completion_tokens words, cut by max_tokens as usual', async () => {
    const provider = await startForTest({ directives: true })
    const whole = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('one two three', { metadata: { mock_completion_tokens: '55' } }))
    const completion = await whole.body.json() as ChatCompletion
    expect(completion.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 55 })
    expect(completion.choices[0]?.finish_reason).toBe('stop')

    const cut = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('x', { max_tokens: 7, metadata: { mock_completion_tokens: '55' } }))
    expect((await cut.body.json() as ChatCompletion).usage.completion_tokens).toBe(7)
  })

  it('waits mock_delay_ms before answering and mock_chunk_interval_ms between stream events', async () => {
    const provider = await startForTest({ directives: true })
    const started = performance.now()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('x', {
      stream: true,
      stream_options: { include_usage: true },
      metadata: { mock_delay_ms: '300', mock_chunk_interval_ms: '100', mock_completion_tokens: '3' }
    }))
    const headersAfter = performance.now() - started
    const events = await new SseReader(res.body).rest()
    const total = performance.now() - started
    // Lower bounds only: the waits happened (role, 3 words, finish, usage, [DONE] = 6 gaps of 100 ms).
    expect(headersAfter).toBeGreaterThanOrEqual(290)
    expect(total - headersAfter).toBeGreaterThanOrEqual(5 * 100 - 20)
    const usage = (JSON.parse(events.at(-2) ?? '{}') as ChatCompletionChunk).usage
    expect(usage).toMatchObject({ completion_tokens: 3 })
  })

  it('refuses a directive that is not a bounded integer with an OpenAI-shaped 400', async () => {
    const provider = await startForTest({ directives: true })
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('x', { metadata: { mock_delay_ms: 'soon' } }))
    expect(res.statusCode).toBe(400)
    expect(await res.body.json()).toMatchObject({ error: { param: 'metadata.mock_delay_ms', code: 'invalid_value' } })
  })

  it('stops waiting when the client leaves during the delay', async () => {
    const provider = await startForTest({ directives: true })
    const res = postJson(`${provider.baseUrl}/chat/completions`, chatBody('x', { metadata: { mock_delay_ms: '600000' } }), { headersTimeout: 200 })
    await expect(res).rejects.toThrow()
    // The mock is still serving: the abandoned wait holds nothing.
    const next = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('x'))
    expect(next.statusCode).toBe(200)
    await next.body.dump()
  })

  it('reports accepted, open and peak connections on GET /__mock/stats', async () => {
    const provider = await startForTest({ directives: true })
    const agents = [testAgent(), testAgent(), testAgent()]
    await Promise.all(agents.map(async (dispatcher) => {
      const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('x', { metadata: { mock_delay_ms: '100' } }), { dispatcher })
      await res.body.dump()
    }))
    await Promise.all(agents.map(async (a) => { await a.close() }))
    const res = await request(`${provider.url}/__mock/stats`)
    const stats = await res.body.json() as MockStatsBody
    expect(stats.connections).toBe(4) // three agents and this request's own
    expect(stats.peakOpenConnections).toBeGreaterThanOrEqual(3)
    const reset = await request(`${provider.url}/__mock/stats/reset-peak`, { method: 'POST' })
    expect((await reset.body.json() as MockStatsBody).peakOpenConnections).toBeLessThanOrEqual(2)
  })
})

describe('without directives (the default)', () => {
  it('ignores metadata and has no /__mock routes', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('one two', { metadata: { mock_completion_tokens: '55', mock_delay_ms: 'soon' } }))
    expect(res.statusCode).toBe(200)
    expect((await res.body.json() as ChatCompletion).usage.completion_tokens).toBe(5) // "Mock reply to: one two"
    const stats = await request(`${provider.url}/__mock/stats`)
    expect(stats.statusCode).toBe(404)
    await stats.body.dump()
  })
})
