import { errors } from 'undici'
import { describe, expect, it } from 'vitest'
import { faults, type ChatCompletion } from '../src/index.js'
import contextLength from '../src/fixtures/openai-context-length-exceeded.json' with { type: 'json' }
import insufficientQuota from '../src/fixtures/openai-insufficient-quota.json' with { type: 'json' }
import invalidApiKey from '../src/fixtures/openai-invalid-api-key.json' with { type: 'json' }
import serverError from '../src/fixtures/openai-server-error.json' with { type: 'json' }
import { chatBody, postJson, testAgent } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'
import { SseReader } from './helpers/sse-reader.js'

const streamBody = chatBody('one two three four five six', { stream: true })

describe('status faults answer with the real provider bodies', () => {
  it('rateLimited: 429, retry-after header and OpenAI\'s rate_limit_exceeded body', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.rateLimited({ retryAfterSeconds: 7 }))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('7')
    expect(res.headers['retry-after-ms']).toBeUndefined()
    expect(res.headers['x-ratelimit-remaining-requests']).toBe('0')
    const body = await res.body.json() as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ type: 'requests', param: null, code: 'rate_limit_exceeded' })
    expect(body.error['message']).toMatch(/^Rate limit reached for .* Please try again in 7s\. Visit https:\/\/platform\.openai\.com\/account\/rate-limits/)
  })

  it('rateLimited: retry-after-ms when asked for milliseconds; retry-after: 1 by default', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.rateLimited({ retryAfterMs: 150 }), faults.rateLimited())
    const ms = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(ms.headers['retry-after-ms']).toBe('150')
    expect(ms.headers['retry-after']).toBeUndefined()
    expect((await ms.body.json() as { error: { message: string } }).error.message).toContain('try again in 150ms.')
    const plain = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(plain.headers['retry-after']).toBe('1')
    await plain.body.dump()
  })

  it.each([
    ['insufficientQuota', faults.insufficientQuota(), 429, insufficientQuota],
    ['invalidApiKey', faults.invalidApiKey(), 401, invalidApiKey],
    ['userNotFound', faults.userNotFound(), 401, { error: { message: 'User not found.', code: 401 } }],
    ['serverError', faults.serverError(), 500, serverError],
    ['serverError(503)', faults.serverError(503), 503, serverError],
    ['contextLengthExceeded', faults.contextLengthExceeded(), 400, contextLength]
  ])('%s: its status and body, as JSON', async (_name, fault, status, body) => {
    const provider = await startForTest()
    provider.enqueue(fault)
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(res.statusCode).toBe(status)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(await res.body.json()).toEqual(body)
  })

  it('fixture bodies are the documented real ones', () => {
    expect(insufficientQuota.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' })
    expect(invalidApiKey.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' })
    expect(invalidApiKey.error.message).toMatch(/^Incorrect API key provided: /)
    expect(contextLength.error).toMatchObject({ type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' })
    expect(serverError.error).toMatchObject({ type: 'server_error', code: null })
  })

  it('a custom status fault sends a string body as is, with its headers', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.status(502, '<html>502 Bad Gateway</html>', { 'content-type': 'text/html' }))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(res.statusCode).toBe(502)
    expect(res.headers['content-type']).toBe('text/html')
    expect(await res.body.text()).toBe('<html>502 Bad Gateway</html>')
  })

  it('a status fault answers a streaming request with a plain JSON error, as OpenAI does', async () => {
    const provider = await startForTest()
    provider.enqueue({ kind: 'status', status: 503 })
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody)
    expect(res.statusCode).toBe(503)
    expect(await res.body.json()).toMatchObject({ error: { type: 'server_error' } })
  })
})

describe('timing faults', () => {
  it('delay-headers: nothing arrives before the delay (a headers timeout fires), then a normal answer', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.delayHeaders(1500), faults.delayHeaders(300))
    await expect(postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'), { headersTimeout: 200 }))
      .rejects.toBeInstanceOf(errors.HeadersTimeoutError)

    const started = performance.now()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(performance.now() - started).toBeGreaterThanOrEqual(280)
    expect(res.statusCode).toBe(200)
    expect((await res.body.json() as ChatCompletion).choices[0]?.message.content).toBe('Mock reply to: hi')
  })

  it('chunk-delay: streams the full answer with a wait between chunks', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.chunkDelay(40))
    const started = performance.now()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody)
    const events = await new SseReader(res.body).rest()
    // 11 events (role, 9 words, finish) + [DONE] = 11 gaps of 40 ms.
    expect(events).toHaveLength(12)
    expect(events.at(-1)).toBe('[DONE]')
    expect(performance.now() - started).toBeGreaterThanOrEqual(400)
  })

  it('chunkDelayMs applies to every stream, each chunk flushed as it is produced', async () => {
    const provider = await startForTest({ chunkDelayMs: 400, reply: () => 'a b' })
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody)
    const reader = new SseReader(res.body)
    expect(await reader.next()).toContain('"role":"assistant"')
    // The first chunk is here; the next one is still 400 ms away.
    expect(await reader.bytesWithin(100)).toBe(false)
    expect(await reader.next()).toContain('"content":"a"')
    expect(await reader.rest()).toEqual([expect.stringContaining('"content":" b"'), expect.stringContaining('"finish_reason":"stop"'), '[DONE]'])
  })
})

describe('stall', () => {
  it('streaming: sends N chunks, then nothing; close() still returns and ends the stream', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.stall(2))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody)
    expect(res.statusCode).toBe(200)
    const reader = new SseReader(res.body)
    expect(await reader.next()).toContain('"role":"assistant"')
    expect(await reader.next()).toContain('"content":"Mock"')
    expect(await reader.bytesWithin(300)).toBe(false)

    const closing = performance.now()
    await provider.close()
    expect(performance.now() - closing).toBeLessThan(2000)
    expect(await reader.outcome()).toBeInstanceOf(Error)
  })

  it('streaming after 0 chunks: headers arrive, then a body timeout is what fires', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.stall(0))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody, { bodyTimeout: 200 })
    expect(res.statusCode).toBe(200)
    expect(await new SseReader(res.body).outcome()).toBeInstanceOf(errors.BodyTimeoutError)
  })

  it('non-streaming: never answers; close() still returns and the client sees the socket end', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.stall(0))
    const pending = postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    pending.catch(() => {})
    const winner = await Promise.race([pending.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 300, 'silence'))])
    expect(winner).toBe('silence')

    const closing = performance.now()
    await provider.close()
    expect(performance.now() - closing).toBeLessThan(2000)
    await expect(pending).rejects.toBeInstanceOf(errors.SocketError)
  })
})

describe('drop', () => {
  it('streaming: destroys the socket after N chunks', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.drop(3))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody)
    expect(res.statusCode).toBe(200)
    const reader = new SseReader(res.body)
    const received = [await reader.next(), await reader.next(), await reader.next()]
    expect(received[2]).toContain('"content":" reply"')
    expect(await reader.outcome()).toBeInstanceOf(errors.SocketError)
  })

  it('non-streaming (or without afterChunks): destroys the socket before any byte', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.drop(), faults.drop(5), faults.drop())
    for (const body of [chatBody('hi'), chatBody('hi'), streamBody]) {
      await expect(postJson(`${provider.baseUrl}/chat/completions`, body)).rejects.toBeInstanceOf(errors.SocketError)
    }
    // The provider itself is fine afterwards.
    expect((await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))).statusCode).toBe(200)
  })
})

describe('the fault queue', () => {
  it('consumes one fault per request, in order, then behaves normally', async () => {
    const provider = await startForTest()
    const agent = testAgent()
    provider.enqueue(faults.serverError(502), faults.rateLimited({ retryAfterMs: 1 }), faults.userNotFound())
    expect(provider.pendingFaults).toBe(3)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody(`call ${i}`), { dispatcher: agent })
      statuses.push(res.statusCode)
      await res.body.dump()
    }
    expect(statuses).toEqual([502, 429, 401, 200, 200])
    expect(provider.pendingFaults).toBe(0)
  })

  it('embeddings requests consume faults too; models listings do not', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.serverError(), faults.insufficientQuota())
    expect((await postJson(`${provider.baseUrl}/embeddings`, { model: 'm', input: 'x' })).statusCode).toBe(500)
    const models = await fetch(`${provider.baseUrl}/models`)
    expect(models.status).toBe(200)
    expect((await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))).statusCode).toBe(429)
  })

  it('requests the mock refuses (bad body, unknown model under strictModels) do not consume a fault', async () => {
    const provider = await startForTest({ strictModels: true })
    provider.enqueue(faults.serverError())
    expect((await postJson(`${provider.baseUrl}/chat/completions`, { model: 'mock-gpt' })).statusCode).toBe(400)
    expect((await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi', { model: 'nope' }))).statusCode).toBe(404)
    expect(provider.pendingFaults).toBe(1)
    expect((await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))).statusCode).toBe(500)
  })

  it('a default fault applies to every request once the queue is empty, until cleared', async () => {
    const provider = await startForTest()
    provider.setDefaultFault(faults.serverError(503))
    provider.enqueue(faults.rateLimited())
    const status = async (): Promise<number> => (await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))).statusCode
    expect([await status(), await status(), await status()]).toEqual([429, 503, 503])
    provider.setDefaultFault(undefined)
    expect(await status()).toBe(200)
  })

  it('reset() clears queued and default faults, recorded requests and stats', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.serverError())
    provider.setDefaultFault(faults.serverError())
    await (await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))).body.dump()
    provider.enqueue(faults.serverError())
    provider.reset()
    expect(provider.pendingFaults).toBe(0)
    expect(provider.requests).toEqual([])
    expect(provider.stats).toEqual({ requests: 0, connections: 0 })
    expect((await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))).statusCode).toBe(200)
  })
})

describe('error-event', () => {
  it('streaming: a 200, N chunks, then one error event and a clean end', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.errorEvent(1))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, streamBody)
    expect(res.statusCode).toBe(200)
    const reader = new SseReader(res.body)
    expect(await reader.next()).toContain('"role":"assistant"')
    expect(JSON.parse(await reader.next() ?? '{}')).toEqual(serverError)
    expect(await reader.next()).toBeUndefined()
  })

  it('non-streaming: a 500 with the same body', async () => {
    const provider = await startForTest()
    provider.enqueue(faults.errorEvent(1))
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('hi'))
    expect(res.statusCode).toBe(500)
    expect(await res.body.json()).toEqual(serverError)
  })
})
