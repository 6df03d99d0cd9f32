import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { anthropicAdapter } from '../../src/providers/anthropic/index.js'
import { SseEventReader } from '../../src/providers/anthropic/sse-events.js'
import { ProviderStreamError } from '../../src/providers/stream-error.js'
import { classifyTransportError } from '../../src/upstream/classify.js'
import { parseRoutingTable, type Deployment } from '../../src/routing/routing-table.js'
import { readFixture } from '../helpers/fixtures.js'
import { sseData } from '../helpers/sse.js'

const routes = parseRoutingTable({
  providers: { claude: { type: 'anthropic', baseUrl: 'https://api.anthropic.com/v1' } },
  models: { claude: [{ provider: 'claude', model: 'claude-sonnet-4-5' }] }
}, {})
const deployment = routes.models.get('claude')?.[0] as Deployment

interface Chunk {
  id: string
  object: string
  model: string
  created: number
  choices: Array<{ index: number, delta: Record<string, unknown>, finish_reason: string | null }>
  usage?: Record<string, unknown>
}

/** Runs `input` through a fresh converter, in pieces of `pieceSize` bytes (0 = whole). */
async function translate (input: string, pieceSize = 0): Promise<{ out: string, error?: unknown }> {
  const bytes = Buffer.from(input)
  const pieces: Buffer[] = []
  if (pieceSize === 0) pieces.push(bytes)
  else for (let i = 0; i < bytes.length; i += pieceSize) pieces.push(bytes.subarray(i, i + pieceSize))
  const converted = anthropicAdapter.convertStream?.(deployment, Readable.from(pieces))
  if (converted === undefined) throw new Error('no stream converter')
  let out = ''
  converted.on('data', (chunk: Buffer | string) => { out += chunk.toString() })
  try {
    await finished(converted)
    return { out }
  } catch (error) {
    return { out, error }
  }
}

const chunksOf = (out: string): { chunks: Chunk[], done: boolean } => {
  const data = sseData(out)
  const done = data.at(-1) === '[DONE]'
  return { chunks: (done ? data.slice(0, -1) : data).map((d) => JSON.parse(d) as Chunk), done }
}

const deltas = (chunks: Chunk[]) => chunks.flatMap((c) => c.choices.map((choice) => choice.delta))

describe('anthropic stream → OpenAI chunks', () => {
  it('text: role chunk, content deltas, finish chunk, usage chunk last (empty choices), then [DONE]', async () => {
    const { out, error } = await translate(readFixture('anthropic/stream-text.sse'))
    expect(error).toBeUndefined()
    const { chunks, done } = chunksOf(out)
    expect(done).toBe(true)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY' && c.model === 'claude-sonnet-4-5-20250929')).toBe(true)
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1)
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' }, { content: 'Hello' }, { content: '!' }, {}, null
    ])
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, 'stop', null])
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 } })
  })

  it('tool use: tool_calls indexes count tool_use blocks (content blocks 1 and 2 → 0 and 1), arguments stream, finish tool_calls', async () => {
    const { out, error } = await translate(readFixture('anthropic/stream-tool-use.sse'))
    expect(error).toBeUndefined()
    const { chunks, done } = chunksOf(out)
    expect(done).toBe(true)
    const toolDeltas = deltas(chunks).filter((d) => d['tool_calls'] !== undefined).map((d) => (d['tool_calls'] as unknown[])[0])
    expect(toolDeltas).toEqual([
      { index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city": "Par' } },
      { index: 0, function: { arguments: 'is"}' } },
      { index: 1, id: 'toolu_01VmZbUdfy4BxiaM8VXtLqv2', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, function: { arguments: '{"city": "Oslo"}' } }
    ])
    expect(deltas(chunks).map((d) => d['content']).filter((c) => c !== undefined).join('')).toBe('Okay, let\'s check the weather.')
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls')
    // prompt = input + cache read + cache creation; the cached parts itemised.
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 772, completion_tokens: 89, total_tokens: 861, prompt_tokens_details: { cached_tokens: 200, cache_creation_tokens: 100 }
    })
  })

  it('thinking: thinking_delta → reasoning_content; signatures and redacted thinking dropped; max_tokens → length', async () => {
    const { out, error } = await translate(readFixture('anthropic/stream-thinking.sse'))
    expect(error).toBeUndefined()
    const { chunks } = chunksOf(out)
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'I need to find the GCD of 1071 and 462.' },
      { reasoning_content: '\n\n1071 = 2 × 462 + 147 …' },
      { content: 'The GCD is 21.' },
      {}
    ])
    expect(out).not.toContain('EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds')
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length')
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 41, completion_tokens: 214 })
  })

  it('gives the same chunks whatever the byte boundaries (every piece size from 1 to 13 bytes)', async () => {
    for (const name of ['stream-text.sse', 'stream-tool-use.sse', 'stream-thinking.sse']) {
      const fixture = readFixture(`anthropic/${name}`)
      const whole = deltas(chunksOf((await translate(fixture)).out).chunks)
      for (let size = 1; size <= 13; size++) {
        expect(deltas(chunksOf((await translate(fixture, size)).out).chunks), `${name} in ${size}-byte pieces`).toEqual(whole)
      }
      // CRLF line endings, as some proxies rewrite them.
      expect(deltas(chunksOf((await translate(fixture.replaceAll('\n', '\r\n'), 7)).out).chunks)).toEqual(whole)
    }
  })

  it('an error event fails the stream after the chunks already sent, classified as its HTTP status would be', async () => {
    const { out, error } = await translate(readFixture('anthropic/stream-error.sse'))
    const { chunks, done } = chunksOf(out)
    expect(done).toBe(false)
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, { content: 'Once upon' }])
    expect(error).toBeInstanceOf(ProviderStreamError)
    const err = classifyTransportError('claude', error, 200)
    expect(err).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, details: { provider: 'claude', providerStatus: 529, providerCode: 'overloaded_error' } })
  })

  it.each([
    ['rate_limit_error', 'PROVIDER_RATE_LIMITED'],
    ['authentication_error', 'PROVIDER_AUTH_FAILED'],
    ['invalid_request_error', 'PROVIDER_BAD_REQUEST'],
    ['api_error', 'PROVIDER_UNAVAILABLE'],
    ['some_future_error', 'PROVIDER_UNAVAILABLE']
  ])('error event %s → %s', async (type, code) => {
    const { error } = await translate(`event: error\ndata: {"type":"error","error":{"type":"${type}","message":"m"}}\n\n`)
    expect(classifyTransportError('claude', error, 200).code).toBe(code)
  })

  it.each([
    ['ends without message_stop', readFixture('anthropic/stream-text.sse').replace(/event: message_stop[\s\S]*$/, '')],
    ['sends an unparseable event', 'event: message_start\ndata: {"type":"message_start","message":\n\n'],
    ['is cut mid-event', 'event: message_start\ndata: {"type":"mess']
  ])('a stream that %s fails as PROVIDER_BAD_RESPONSE', async (_what, input) => {
    const { error } = await translate(input)
    expect(error).toBeInstanceOf(ProviderStreamError)
    expect(classifyTransportError('claude', error, 200)).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', details: { provider: 'claude', providerStatus: 200 } })
  })

  it('ignores event types it does not know (Anthropic may add them under the same version)', async () => {
    const fixture = readFixture('anthropic/stream-text.sse').replace('event: ping', 'event: brand_new\ndata: {"type":"brand_new","x":1}\n\nevent: ping')
    const { out, error } = await translate(fixture)
    expect(error).toBeUndefined()
    expect(chunksOf(out).done).toBe(true)
  })
})

describe('SseEventReader', () => {
  it('joins data lines, names events, skips comments and keeps a \\r\\n split across pushes', () => {
    const reader = new SseEventReader()
    expect(reader.push(': comment\nevent: a\ndata: 1\ndata:2\r')).toEqual([])
    expect(reader.push('\n\r\ndata: x\n\n')).toEqual([{ event: 'a', data: '1\n2' }, { event: 'message', data: 'x' }])
    expect(reader.pending).toBe(false)
    reader.push(Buffer.from('data: é', 'utf8').subarray(0, 7))
    expect(reader.pending).toBe(true)
  })
})
