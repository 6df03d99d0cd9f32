import { describe, expect, it } from 'vitest'
import { anthropicFaults, faults } from '../src/index.js'
import { postJson } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'

const KEY = 'sk-ant-mock-0123456789abcdef'
const VERSION = { 'anthropic-version': '2023-06-01' }

const messagesBody = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ model: 'mock-claude', max_tokens: 256, messages: [{ role: 'user', content }], ...extra })

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' }, metric: { type: 'boolean' }, extra: { type: 'object' } }, required: ['city'] }
}
const timeTool = { name: 'get_time', input_schema: { type: 'object', properties: { zone: { type: 'string' } } } }

interface SseEvent { event: string, data: Record<string, unknown> & { type: string } }

/** Splits an Anthropic SSE body into named events; asserts each event name matches its data.type. */
function parseEvents (text: string): SseEvent[] {
  return text.split('\n\n').filter((block) => block !== '').map((block) => {
    const event = /^event: (.+)$/m.exec(block)?.[1] ?? ''
    const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? 'null') as SseEvent['data']
    expect(data.type).toBe(event)
    return { event, data }
  })
}

describe('POST /v1/messages (Anthropic Messages API)', () => {
  it('answers a message with the mock reply, stop reason, usage and Anthropic ids', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('Hello Claude, how are you?', { system: 'Be nice.' }), { headers: VERSION })
    expect(res.statusCode).toBe(200)
    expect(res.headers['request-id']).toMatch(/^req_/)
    const body = await res.body.json() as Record<string, unknown>
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'mock-claude',
      content: [{ type: 'text', text: 'Mock reply to: Hello Claude, how are you?' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      // system (3 + 2) + user message (3 + 5); output = 8 words
      usage: { input_tokens: 13, output_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
    })
    expect(body['id']).toMatch(/^msg_[A-Za-z0-9]{24}$/)
  })

  it('cuts the answer at max_tokens with stop_reason max_tokens', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('one two three four', { max_tokens: 3 }), { headers: VERSION })
    expect(await res.body.json()).toMatchObject({ content: [{ type: 'text', text: 'Mock reply to:' }], stop_reason: 'max_tokens', usage: { output_tokens: 3 } })
  })

  it('calls the first tool with input derived from the prompt, after a short text block, under tool_choice auto', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('Weather in Paris for three days', { tools: [weatherTool, timeTool] }), { headers: VERSION })
    const body = await res.body.json() as { content: Array<Record<string, unknown>>, stop_reason: string }
    expect(body.stop_reason).toBe('tool_use')
    expect(body.content).toEqual([
      { type: 'text', text: 'Calling get_weather.' },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'get_weather', input: { city: 'Weather in Paris for three days', days: 6, metric: true, extra: null } }
    ])
  })

  it.each([
    [{ type: 'any' }, 'get_weather', 1],
    [{ type: 'tool', name: 'get_time' }, 'get_time', 1],
    [{ type: 'none' }, undefined, 1],
    [{ type: 'auto' }, 'get_weather', 2]
  ])('tool_choice %j → tool %s', async (toolChoice, toolName, blocks) => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('hi', { tools: [weatherTool, timeTool], tool_choice: toolChoice }), { headers: VERSION })
    const body = await res.body.json() as { content: Array<{ type: string, name?: string }> }
    expect(body.content).toHaveLength(blocks)
    expect(body.content.find((b) => b.type === 'tool_use')?.name).toBe(toolName)
  })

  it('answers in text once the conversation ends with tool results', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, {
      model: 'mock-claude',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' }] }
      ]
    }, { headers: VERSION })
    expect(await res.body.json()).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text' }] })
  })

  it('thinks first when extended thinking is enabled', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('Why?', { thinking: { type: 'enabled', budget_tokens: 1024 } }), { headers: VERSION })
    const body = await res.body.json() as { content: Array<{ type: string }> }
    expect(body.content.map((b) => b.type)).toEqual(['thinking', 'text'])
  })

  it('streams the documented event sequence; the text deltas join to the non-streamed text', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('Stream a few words', { stream: true }), { headers: VERSION })
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    const events = parseEvents(await res.body.text())
    expect(events.map((e) => e.event)).toEqual([
      'message_start', 'content_block_start', 'ping',
      ...Array<string>(7).fill('content_block_delta'),
      'content_block_stop', 'message_delta', 'message_stop'
    ])
    expect(events[0]?.data).toMatchObject({ message: { content: [], stop_reason: null, usage: { output_tokens: 1 } } })
    const text = events.flatMap((e) => e.event === 'content_block_delta' ? [(e.data['delta'] as { text: string }).text] : []).join('')
    expect(text).toBe('Mock reply to: Stream a few words')
    expect(events.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } })
  })

  it('streams a tool call: text block 0, tool_use block 1 whose input_json_delta pieces join to the input', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('Oslo', { stream: true, tools: [timeTool] }), { headers: VERSION })
    const events = parseEvents(await res.body.text())
    const start = events.find((e) => e.event === 'content_block_start' && (e.data['content_block'] as { type: string }).type === 'tool_use')
    expect(start?.data).toMatchObject({ index: 1, content_block: { name: 'get_time', input: {} } })
    const json = events
      .filter((e) => e.event === 'content_block_delta' && e.data['index'] === 1)
      .map((e) => (e.data['delta'] as { type: string, partial_json: string }))
    expect(json.every((d) => d.type === 'input_json_delta')).toBe(true)
    expect(JSON.parse(json.map((d) => d.partial_json).join(''))).toEqual({ zone: 'Oslo' })
    expect(events.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'tool_use' } })
  })

  it('requires the anthropic-version header, as Anthropic does', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('hi'))
    expect(res.statusCode).toBe(400)
    expect(await res.body.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } })
  })

  it('refuses an invalid body in Anthropic\'s shape, naming the field', async () => {
    const mock = await startForTest()
    const res = await postJson(`${mock.baseUrl}/messages`, { model: 'mock-claude', messages: [{ role: 'user', content: 'hi' }] }, { headers: VERSION })
    expect(res.statusCode).toBe(400)
    expect(await res.body.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } })
  })

  it('with apiKey: requires x-api-key (a bearer token does not count) and says which way it failed', async () => {
    const mock = await startForTest({ apiKey: KEY })
    const cases: Array<[Record<string, string>, number, string | undefined]> = [
      [{}, 401, 'x-api-key header is required'],
      [{ authorization: `Bearer ${KEY}` }, 401, 'x-api-key header is required'],
      [{ 'x-api-key': 'sk-ant-wrong' }, 401, 'invalid x-api-key'],
      [{ 'x-api-key': KEY }, 200, undefined]
    ]
    for (const [headers, status, message] of cases) {
      const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('hi'), { headers: { ...VERSION, ...headers } })
      expect(res.statusCode).toBe(status)
      const body = await res.body.json() as { error?: { type: string, message: string } }
      if (message !== undefined) expect(body.error).toEqual({ type: 'authentication_error', message })
    }
    // The OpenAI routes still want their bearer token, not x-api-key.
    const openai = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-api-key': KEY } })
    expect(openai.statusCode).toBe(401)
    await openai.body.dump()
  })

  it('answers unknown models with not_found_error under strictModels', async () => {
    const mock = await startForTest({ strictModels: true, models: ['mock-claude'] })
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('hi', { model: 'claude-9' }), { headers: VERSION })
    expect(res.statusCode).toBe(404)
    expect(await res.body.json()).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'model: claude-9' } })
  })
})

describe('/v1/messages faults', () => {
  it.each([
    ['overloaded', anthropicFaults.overloaded(), 529, 'overloaded_error'],
    ['rateLimited', anthropicFaults.rateLimited(3), 429, 'rate_limit_error'],
    ['spendLimitReached', anthropicFaults.spendLimitReached(), 429, 'rate_limit_error'],
    ['authenticationError', anthropicFaults.authenticationError(), 401, 'authentication_error'],
    ['billingError', anthropicFaults.billingError(), 402, 'billing_error'],
    ['permissionError', anthropicFaults.permissionError(), 403, 'permission_error'],
    ['promptTooLong', anthropicFaults.promptTooLong(), 400, 'invalid_request_error'],
    ['requestTooLarge', anthropicFaults.requestTooLarge(), 413, 'request_too_large'],
    ['apiError', anthropicFaults.apiError(), 500, 'api_error'],
    ['a bodiless status fault', faults.status(529), 529, 'overloaded_error'],
    ['a bodiless 404', faults.status(404), 404, 'not_found_error']
  ])('%s: its status and error type in Anthropic\'s shape', async (_name, fault, status, type) => {
    const mock = await startForTest()
    mock.enqueue(fault)
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('hi'), { headers: VERSION })
    expect(res.statusCode).toBe(status)
    const body = await res.body.json() as { type: string, error: { type: string, message: string } }
    expect(body.type).toBe('error')
    expect(body.error.type).toBe(type)
    expect(body.error.message).not.toBe('')
    if (fault.headers?.['retry-after'] !== undefined) expect(res.headers['retry-after']).toBe('3')
  })

  it('streamError: the first events, then event: error overloaded_error, and no message_stop', async () => {
    const mock = await startForTest()
    mock.enqueue(faults.streamError(4, 529))
    const res = await postJson(`${mock.baseUrl}/messages`, messagesBody('Tell a story', { stream: true }), { headers: VERSION })
    expect(res.statusCode).toBe(200)
    const events = parseEvents(await res.body.text())
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'error'])
    expect(events.at(-1)?.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
  })

  it('streamError on chat completions sends OpenAI\'s data: {"error": …} event and no [DONE]', async () => {
    const mock = await startForTest()
    mock.enqueue(faults.streamError(2))
    const res = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c' }] })
    const events = (await res.body.text()).split('\n\n').filter((e) => e !== '')
    expect(events).toHaveLength(3)
    expect(JSON.parse(events[2]?.slice('data: '.length) ?? '')).toMatchObject({ error: { type: 'server_error' } })
  })

  it('a drop fault cuts an Anthropic stream after N events', async () => {
    const mock = await startForTest()
    mock.enqueue(faults.drop(2))
    await expect(postJson(`${mock.baseUrl}/messages`, messagesBody('hi', { stream: true }), { headers: VERSION }).then(async (r) => await r.body.text()))
      .rejects.toThrow()
    expect(mock.pendingFaults).toBe(0)
  })
})
