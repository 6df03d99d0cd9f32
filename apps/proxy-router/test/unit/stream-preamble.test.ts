import { PassThrough } from 'node:stream'
import { text } from 'node:stream/consumers'
import { relayInto, SseRelay } from '@switchyard/sse'
import { describe, expect, it } from 'vitest'
import { openaiAdapter } from '../../src/providers/openai/index.js'
import { HeartbeatRelay, PING } from '../../src/streaming/heartbeat.js'
import { awaitFirstContent, eventKind } from '../../src/upstream/first-content.js'

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}`

describe('what counts as content', () => {
  it.each([
    [': ping', 'preamble'],
    [chunk({ role: 'assistant', content: '', refusal: null }), 'preamble'],
    [chunk({ content: 'Hi' }), 'content'],
    [chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '' } }] }), 'content'],
    [`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}`, 'content'],
    [`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 1 } })}`, 'content'],
    ['data: [DONE]', 'content'],
    ['data: [DONE]\r\n\r\n', 'content'],
    [chunk({ role: 'assistant', content: '' }) + '\n\n', 'preamble'],
    [chunk({ content: 'Hi' }) + '\r\n\r\n', 'content'],
    // Data over several lines, and other fields, take the general path.
    ['data: {"choices":[{"index":0,\ndata: "delta":{"content":"Hi"}}]}\n\n', 'content'],
    ['event: message\ndata: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n', 'preamble'],
    ['id: 7\r\ndata:{"choices":[{"index":0,"delta":{"content":"Hi"}}]}\r\n\r\n', 'content']
  ])('%s → %s', (event, kind) => {
    expect(eventKind(event)).toBe(kind)
  })

  it('an error event is neither', () => {
    expect(eventKind('data: {"error":{"message":"overloaded"}}')).toEqual({ error: '{"error":{"message":"overloaded"}}' })
  })

  it('an error event that also carries content text is still an error (the unparsed judgement steps aside)', () => {
    const event = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}],"error":{"message":"overloaded"}}'
    expect(eventKind(event)).toEqual({ error: event.slice(6) })
  })

  it('content text that quotes a content pair is judged by parsing, not by its bytes', () => {
    // The escaped quotes cannot match the compact pattern; the role chunk stays a preamble.
    expect(eventKind(chunk({ role: 'assistant', content: '', refusal: null }, { note: '"content":"x' }))).toBe('preamble')
  })
})

describe('awaitFirstContent', () => {
  const ctx = { provider: 'p', status: 200, adapter: openaiAdapter, signal: new AbortController().signal }

  it('holds the preamble and puts every byte back, split events included', async () => {
    const body = new PassThrough()
    const waiting = awaitFirstContent(body, ctx)
    const role = chunk({ role: 'assistant', content: '' }) + '\n\n'
    const first = chunk({ content: 'Hi' }) + '\n\n'
    body.write(role.slice(0, 10))
    body.write(role.slice(10) + first.slice(0, 5))
    body.write(first.slice(5) + 'data: [DO')
    const { held, body: rest } = await waiting
    const relayed = text(relayInto(rest, new SseRelay(() => undefined), held))
    body.end('NE]\n\n')
    expect(await relayed).toBe(role + first + 'data: [DONE]\n\n')
  })

  it('a failure after content is delivered after every byte before it', async () => {
    const body = new PassThrough()
    const waiting = awaitFirstContent(body, ctx)
    const first = chunk({ content: 'Hi' }) + '\n\n'
    body.write(first)
    const { held, body: rest } = await waiting
    // The failure comes before the relay takes the body over: it is still told, after the content.
    body.write(chunk({ content: ' there' }) + '\n\n')
    body.destroy(new Error('reset'))
    await new Promise((resolve) => setImmediate(resolve))
    const relayed = await text(relayInto(rest, new SseRelay((err) => `data: {"error":"${(err as Error).message}"}\n\n`), held))
    expect(relayed).toBe(first + 'data: {"error":"reset"}\n\n')
  })

  it('an error event before content rejects as a failed attempt', async () => {
    const body = new PassThrough()
    const waiting = awaitFirstContent(body, ctx)
    body.write(chunk({ role: 'assistant', content: '' }) + '\n\n' + 'data: {"error":{"message":"boom","code":"server_error"}}\n\n')
    await expect(waiting).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { cause: 'error_event_before_content', providerCode: 'server_error' } })
  })

  it('stops holding after 1 MiB of preamble and relays it as sent', async () => {
    const body = new PassThrough()
    const waiting = awaitFirstContent(body, ctx)
    body.write(`: ${'x'.repeat(1024 * 1024)}\n\n`)
    const { held, body: rest } = await waiting
    expect(held.length).toBeGreaterThan(1024 * 1024)
    expect(rest).toBe(body)
  })

  it('a close before content rejects too', async () => {
    const body = new PassThrough()
    const waiting = awaitFirstContent(body, ctx)
    body.end(chunk({ role: 'assistant', content: '' }) + '\n\n')
    await expect(waiting).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', details: { cause: 'closed_before_content' } })
  })
})

describe('HeartbeatRelay', () => {
  it('writes `: ping` only while nothing else is written', async () => {
    const upstream = new PassThrough()
    const hb = relayInto(upstream, new HeartbeatRelay(() => undefined, 40))
    const out: string[] = []
    hb.on('data', (b: Buffer) => out.push(b.toString()))
    await new Promise((resolve) => setTimeout(resolve, 100))
    upstream.write('data: 1\n\n')
    upstream.end()
    await new Promise((resolve) => hb.on('end', resolve))
    expect(out.filter((s) => s === PING).length).toBeGreaterThanOrEqual(1)
    expect(out.at(-1)).toBe('data: 1\n\n')
  })

  it('never puts a ping inside an event: half an event waits, the ping goes before it', async () => {
    const upstream = new PassThrough()
    const hb = relayInto(upstream, new HeartbeatRelay(() => undefined, 30))
    const out: string[] = []
    hb.on('data', (b: Buffer) => out.push(b.toString()))
    upstream.write('data: {"n":')
    await new Promise((resolve) => setTimeout(resolve, 80))
    upstream.end('1}\n\n')
    await new Promise((resolve) => hb.on('end', resolve))
    expect(out.join('')).toMatch(/^(: ping\n\n)+data: \{"n":1\}\n\n$/)
  })

  it('destroyed (the client left), it stops pinging and destroys the provider body', async () => {
    const upstream = new PassThrough()
    const hb = relayInto(upstream, new HeartbeatRelay(() => undefined, 10))
    const out: string[] = []
    hb.on('data', (b: Buffer) => out.push(b.toString()))
    upstream.write('data: 1\n\n')
    await new Promise((resolve) => setImmediate(resolve))
    hb.destroy()
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(upstream.destroyed).toBe(true)
    expect(out).toEqual(['data: 1\n\n'])
  })
})
