import { eq, inArray, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { usageEvents, type UsageEvent } from '@switchyard/db/schema'
import { faults } from '@switchyard/mock-provider'
import { infraFor } from '@switchyard/testing'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gatewayWithFakeRouter } from '../helpers/fake-router.js'
import { startStack, type Stack } from '../helpers/stack.js'

const infra = await infraFor('usage accounting', ['postgres', 'redis'])

/** Per request id: how often accounting recorded it and what the quota reservation was settled with. */
interface Ledger { recorded: Map<string, number>, settled: Map<string, number[]> }

/**
 * Test-only hooks standing in for the quota plugin: every request carries a fake reservation
 * whose settle() calls are counted; a test header becomes the correlation id (the request-id
 * work sets `request.correlationId` from the client's x-request-id).
 */
function instrument (gateway: FastifyInstance, ledger: Ledger): void {
  gateway.addHook('onRequest', async (request) => {
    const correlation = request.headers['x-test-correlation']
    if (typeof correlation === 'string') (request as { correlationId?: string }).correlationId = correlation
    request.quotaReservation = {
      reservedTokens: 1000,
      settle: (tokens) => { ledger.settled.set(request.id, [...(ledger.settled.get(request.id) ?? []), tokens]) }
    }
  })
  const record = gateway.usage.record
  gateway.usage.record = (event) => {
    ledger.recorded.set(event.requestId, (ledger.recorded.get(event.requestId) ?? 0) + 1)
    record(event)
  }
}

const newLedger = (): Ledger => ({ recorded: new Map(), settled: new Map() })
const streamBody = (extra: object = {}) => JSON.stringify({ model: 'mock-gpt', stream: true, messages: [{ role: 'user', content: 'a b c d e f g h i j k l m n o p' }], ...extra })
const jsonBody = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hello there' }] })

/** Waits (bounded) until the rows of `ids` are written, then returns them. */
async function rowsOf (gateway: FastifyInstance, db: Stack['db'], ids: string[]): Promise<UsageEvent[]> {
  for (let i = 0; i < 100; i++) {
    await gateway.usage.flush(5000)
    const rows = await db.db.select().from(usageEvents).where(inArray(usageEvents.requestId, ids))
    if (rows.length >= ids.length) return rows
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`usage rows for ${ids.join(', ')} never appeared`)
}

async function until (check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Reads a stream until `events` data events arrived, then abandons it (the client leaves). */
async function abandonAfter (res: Response, ac: AbortController, events: number): Promise<string> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let seen = ''
  while ((seen.match(/^data: \{/gm) ?? []).length < events) {
    const { value, done } = await reader.read()
    if (done) throw new Error('the stream ended before the client meant to leave')
    seen += decoder.decode(value, { stream: true })
  }
  ac.abort()
  return seen
}

describe.skipIf(!infra.ok)('usage accounting on Postgres', () => {
  let stack: Stack
  let key: string
  const ledger = newLedger()
  const post = async (body: string, init: { headers?: Record<string, string>, signal?: AbortSignal } = {}) =>
    await fetch(`${stack.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers }, body, signal: init.signal })

  beforeAll(async () => {
    stack = await startStack({ backend: 'postgres', gatewayEnv: { RATE_LIMIT_MAX: '100000' }, beforeListen: (gw) => instrument(gw, ledger) })
    key = (await stack.createKey('usage')).key
  })
  afterAll(async () => { await stack?.close() })

  it('writes one row per request for concurrent requests, in fewer INSERT statements than rows', async () => {
    const handle = stack.db.db
    const execute = handle.execute.bind(handle)
    let usageInserts = 0
    handle.execute = ((query: Parameters<typeof execute>[0]) => {
      if (typeof query === 'object' && /insert into usage_events/.test(new PgDialect().sqlToQuery(query as SQL).sql)) usageInserts++
      return execute(query)
    }) as typeof handle.execute
    try {
      const responses = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
        const res = await post(i % 4 === 0 ? streamBody() : jsonBody)
        await res.text()
        expect(res.status).toBe(200)
        return res.headers.get('x-request-id')!
      }))
      const rows = await rowsOf(stack.gateway, stack.db, responses)
      expect(rows.map((r) => r.requestId).sort()).toEqual([...responses].sort())
      expect(usageInserts).toBeGreaterThan(0)
      expect(usageInserts).toBeLessThan(rows.length)
      for (const row of rows) {
        expect(ledger.recorded.get(row.requestId)).toBe(1)
        expect(ledger.settled.get(row.requestId)).toEqual([row.totalTokens])
      }
    } finally {
      handle.execute = execute
    }
  })

  it('bills a completed answer with the usage the provider reported', async () => {
    const res = await post(jsonBody)
    const body = await res.json() as { usage: { prompt_tokens: number, completion_tokens: number, total_tokens: number } }
    const id = res.headers.get('x-request-id')!
    const [row] = await rowsOf(stack.gateway, stack.db, [id])
    expect(row).toMatchObject({
      promptTokens: body.usage.prompt_tokens,
      completionTokens: body.usage.completion_tokens,
      totalTokens: body.usage.total_tokens,
      estimated: false,
      statusCode: 200,
      errorCode: null,
      provider: 'mock',
      streamed: false,
      endpoint: 'chat.completions'
    })
    expect(row!.ttfbMs).not.toBeNull()
    expect(row!.latencyMs).toBeGreaterThanOrEqual(row!.ttfbMs!)
  })

  it('bills a stream the client abandons half-way for the prompt and the tokens relayed, marked estimated', async () => {
    stack.mock.enqueue({ kind: 'chunk-delay', ms: 60 })
    const ac = new AbortController()
    const res = await post(streamBody(), { signal: ac.signal })
    const id = res.headers.get('x-request-id')!
    await abandonAfter(res, ac, 5)
    const [row] = await rowsOf(stack.gateway, stack.db, [id])
    // The whole answer, for comparison: the same request without the client leaving.
    const full = await post(streamBody({ stream_options: { include_usage: true } }))
    const usage = JSON.parse((await full.text()).split('\n\n').filter((e) => e.includes('"prompt_tokens"'))[0]!.slice(6)).usage as { completion_tokens: number }
    expect(row).toMatchObject({ estimated: true, streamed: true, statusCode: 200, errorCode: 'CLIENT_DISCONNECTED' })
    expect(row!.promptTokens).toBeGreaterThan(0)
    expect(row!.completionTokens).toBeGreaterThan(0)
    expect(row!.completionTokens).toBeLessThan(usage.completion_tokens)
    expect(row!.totalTokens).toBe(row!.promptTokens + row!.completionTokens)
    expect(ledger.recorded.get(id)).toBe(1)
    expect(ledger.settled.get(id)).toEqual([row!.totalTokens])
  })

  it('bills a non-streamed request the client abandons while the provider works for its prompt only, marked estimated', async () => {
    stack.mock.enqueue({ kind: 'delay-headers', ms: 3000 })
    const ac = new AbortController()
    const seen = stack.mock.stats.requests
    const before = new Set(ledger.recorded.keys())
    const started = post(jsonBody, { signal: ac.signal }).catch((err: unknown) => err)
    await until(() => stack.mock.stats.requests > seen) // the provider has the prompt
    ac.abort()
    expect(await started).toBeInstanceOf(Error)
    await until(() => ledger.recorded.size > before.size)
    const id = [...ledger.recorded.keys()].find((k) => !before.has(k))!
    const [row] = await rowsOf(stack.gateway, stack.db, [id])
    expect(row).toMatchObject({ statusCode: 499, errorCode: 'CLIENT_DISCONNECTED', completionTokens: 0, estimated: true, streamed: false })
    expect(row!.promptTokens).toBeGreaterThan(0)
    expect(ledger.settled.get(id)).toEqual([row!.promptTokens])
  })

  it('bills a stream the provider cuts for what it relayed, marked estimated, with the in-stream error code', async () => {
    stack.mock.enqueue(faults.drop(4))
    const res = await post(streamBody())
    const text = await res.text()
    const id = res.headers.get('x-request-id')!
    const errorEvent = JSON.parse(text.trimEnd().split('\n\n').at(-1)!.slice(6)) as { error: { code: string } }
    const [row] = await rowsOf(stack.gateway, stack.db, [id])
    expect(row).toMatchObject({ estimated: true, streamed: true, errorCode: errorEvent.error.code })
    expect(row!.completionTokens).toBeGreaterThan(0)
    expect(ledger.settled.get(id)).toEqual([row!.totalTokens])
  })

  it('sends no "usage" field at all to a streaming client that did not ask, and accounts the provider\'s usage', async () => {
    const res = await post(streamBody())
    const text = await res.text()
    expect(text).not.toContain('"usage"')
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
    const [row] = await rowsOf(stack.gateway, stack.db, [res.headers.get('x-request-id')!])
    expect(row).toMatchObject({ estimated: false, streamed: true })
    expect(row!.completionTokens).toBeGreaterThan(0)

    const asked = await (await post(streamBody({ stream_options: { include_usage: true } }))).text()
    const events = asked.split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)) as { usage: unknown })
    expect(events.slice(0, -1).every((e) => e.usage === null)).toBe(true)
    expect(events.at(-1)?.usage).toMatchObject({ completion_tokens: row!.completionTokens })
  })

  it('records the 404 of a model name with a NUL byte, with the name sanitised (issue 5, item 4)', async () => {
    const res = await post(JSON.stringify({ model: 'mock\u0000gpt', messages: [{ role: 'user', content: 'hi' }] }), {
      headers: { 'x-test-correlation': `corr\tid-${'x'.repeat(500)}` }
    })
    expect(res.status).toBe(404)
    expect((await res.json() as { error: { code: string } }).error.code).toBe('MODEL_NOT_FOUND')
    const id = res.headers.get('x-request-id')!
    const [row] = await rowsOf(stack.gateway, stack.db, [id])
    expect(row).toMatchObject({ model: 'mock\ufffdgpt', statusCode: 404, errorCode: 'MODEL_NOT_FOUND', totalTokens: 0, estimated: false })
    expect(row!.correlationId).toHaveLength(128)
    expect(row!.correlationId!.startsWith('corr\ufffdid-xxx')).toBe(true)
    expect(ledger.settled.get(id)).toEqual([0])
  })

  it('refuses a 200 KB model name with a short 400 naming the field, never echoing it (issue 5, item 4)', async () => {
    const res = await post(JSON.stringify({ model: 'm'.repeat(200_000), messages: [{ role: 'user', content: 'hi' }] }))
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text.length).toBeLessThan(1000)
    expect(text).not.toContain('mmmmmmmmmm')
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'INVALID_REQUEST', details: { param: 'model' } } })
    // Refused before the router: nothing to account.
    await stack.gateway.usage.flush(5000)
    const rows = await stack.db.db.select().from(usageEvents).where(eq(usageEvents.requestId, res.headers.get('x-request-id')!))
    expect(rows).toHaveLength(0)
    // A reservation made before the refusal is released: nothing was used.
    expect(ledger.settled.get(res.headers.get('x-request-id')!)).toEqual([0])
  })
})

describe.skipIf(!infra.ok)('usage accounting against a misbehaving router', () => {
  it('records a row when the router fails while the gateway reads a non-streamed body (issue 5, item 6)', async () => {
    const ledger = newLedger()
    const g = await gatewayWithFakeRouter((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500', 'x-switchyard-provider': 'mock' })
      res.write('{"id":"chatcmpl-1","object":"chat.completion","choi')
      setTimeout(() => res.socket?.destroy(), 20)
    }, (gw) => instrument(gw, ledger))
    try {
      const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${g.key}`, 'content-type': 'application/json' }, body: jsonBody })
      expect(res.status).toBe(502)
      expect((await res.json() as { error: { code: string } }).error.code).toBe('ROUTER_UNAVAILABLE')
      const id = res.headers.get('x-request-id')!
      const [row] = await rowsOf(g.gateway, g.db, [id])
      expect(row).toMatchObject({ statusCode: 502, errorCode: 'ROUTER_UNAVAILABLE', provider: 'mock', totalTokens: 0 })
      expect(ledger.recorded.get(id)).toBe(1)
      expect(ledger.settled.get(id)).toEqual([0])
    } finally {
      await g.close()
    }
  })

  it('passes on what the headers of a router error answer said when its body breaks off', async () => {
    const g = await gatewayWithFakeRouter((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': '500', 'retry-after': '7', 'x-switchyard-attempts': '3' })
      res.write('{"error":{"code":"PROVIDER_UNAV')
      setTimeout(() => res.socket?.destroy(), 20)
    })
    try {
      const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${g.key}`, 'content-type': 'application/json' }, body: jsonBody })
      expect(res.status).toBe(502)
      const error = (await res.json() as { error: { code: string, message: string } }).error
      expect(error.code).toBe('ROUTER_UNAVAILABLE')
      expect(error.message).toContain('answered 503 without a Switchyard error body')
      expect(res.headers.get('retry-after')).toBe('7')
      expect(res.headers.get('x-switchyard-attempts')).toBe('3')
    } finally {
      await g.close()
    }
  })

  it('keeps usage the provider reported as zero over an estimate of the text relayed', async () => {
    const g = await gatewayWithFakeRouter((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-switchyard-provider': 'mock', 'x-switchyard-deployment': 'mock/zero' })
      res.write('data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Plenty of generated words here"}}],"usage":null}\n\n')
      res.write('data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}\n\n')
      res.end('data: [DONE]\n\n')
    })
    try {
      const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${g.key}`, 'content-type': 'application/json' }, body: streamBody() })
      expect(await res.text()).toContain('Plenty of generated words')
      const [row] = await rowsOf(g.gateway, g.db, [res.headers.get('x-request-id')!])
      expect(row).toMatchObject({ promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false, deployment: 'mock/zero' })
    } finally {
      await g.close()
    }
  })
})
