import { describe, expect, it } from 'vitest'
import type { ChatCompletionChunk } from '../src/index.js'
import { chatBody, postJson } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'
import { SseReader } from './helpers/sse-reader.js'

const parse = (events: string[]): ChatCompletionChunk[] => events.slice(0, -1).map((e) => JSON.parse(e) as ChatCompletionChunk)

describe('POST /v1/chat/completions with stream: true', () => {
  it('streams a role chunk, one chunk per word in order, a finish chunk, then [DONE]', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('alpha beta gamma', { stream: true }))
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(res.headers['x-request-id']).toMatch(/^req_/)

    const events = await new SseReader(res.body).rest()
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = parse(events)
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: 'Mock' }, { content: ' reply' }, { content: ' to:' },
      { content: ' alpha' }, { content: ' beta' }, { content: ' gamma' },
      {}
    ])
    expect(chunks.map((c) => c.choices[0]?.finish_reason)).toEqual([null, null, null, null, null, null, null, 'stop'])
    const ids = new Set(chunks.map((c) => c.id))
    expect(ids.size).toBe(1)
    expect([...ids][0]).toMatch(/^chatcmpl-/)
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'mock-gpt' })
      expect(chunk).not.toHaveProperty('usage')
    }
  })

  it('adds the usage chunk with choices: [] only when stream_options.include_usage is true', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`,
      chatBody('alpha beta gamma', { stream: true, stream_options: { include_usage: true } }))
    const events = await new SseReader(res.body).rest()
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = parse(events)
    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    // (3 + 3 words) prompt; 6 words of reply.
    expect(last.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 })
    // As OpenAI does: every other chunk carries usage: null.
    expect(chunks.slice(0, -1).map((c) => c.usage)).toEqual(Array(chunks.length - 1).fill(null))

    const without = await postJson(`${provider.baseUrl}/chat/completions`,
      chatBody('alpha beta gamma', { stream: true, stream_options: { include_usage: false } }))
    const plain = parse(await new SseReader(without.body).rest())
    expect(plain.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true)
  })

  it('cuts the stream at max_tokens with finish_reason length and matching usage', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`,
      chatBody('alpha beta gamma', { stream: true, max_tokens: 2, stream_options: { include_usage: true } }))
    const chunks = parse(await new SseReader(res.body).rest())
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(content).toBe('Mock reply')
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length')
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(2)
  })

  it('joins to the same content the non-streaming answer has', async () => {
    const provider = await startForTest()
    const body = chatBody('multi\nline   spacing kept')
    const whole = await (await postJson(`${provider.baseUrl}/chat/completions`, body)).body.json() as { choices: Array<{ message: { content: string } }> }
    const res = await postJson(`${provider.baseUrl}/chat/completions`, { ...body, stream: true })
    const streamed = parse(await new SseReader(res.body).rest()).map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(streamed).toBe(whole.choices[0]?.message.content)
  })
})
