import { faults } from '@switchyard/mock-provider'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedUsage, startStack, type Stack } from '../helpers/stack.js'

// The official OpenAI SDK against an alias (mock-claude) whose deployment is an Anthropic-typed
// provider: gateway → router (OpenAI → Messages API translation) → the mock's /v1/messages.

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
  }
}]

describe('OpenAI SDK → Anthropic-typed deployment (mock provider)', () => {
  let stack: Stack
  let client: OpenAI

  beforeAll(async () => {
    stack = await startStack({ backend: 'pglite' })
    const key = await stack.createKey('anthropic')
    client = new OpenAI({ apiKey: key.key, baseURL: `${stack.gatewayUrl}/v1`, maxRetries: 0 })
  })
  afterAll(async () => { await stack?.close() })

  it('non-streamed: a tool call, then the answer to its result, with usage recorded', async () => {
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You answer weather questions.' },
      { role: 'user', content: 'Weather in Lisbon today?' }
    ]
    const { data: first, request_id: requestId } = await client.chat.completions.create({ model: 'mock-claude', messages, tools }).withResponse()
    const choice = first.choices[0]!
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.content).toBe('Calling get_weather.')
    const call = choice.message.tool_calls?.[0]
    expect(call?.type).toBe('function')
    if (call?.type !== 'function') throw new Error('no function tool call')
    expect(call.function.name).toBe('get_weather')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Weather in Lisbon today?' })
    expect(first.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 3, total_tokens: 17 })

    const upstream = stack.mock.requests.at(-1)!
    expect(upstream.path).toBe('/v1/messages')
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01')

    const rows = await recordedUsage(stack, requestId)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ model: 'mock-claude', provider: 'mock-anthropic', promptTokens: 14, completionTokens: 3, streamed: false, statusCode: 200 })

    // Second turn: the tool result goes back as a tool message; the model answers in text.
    const second = await client.chat.completions.create({
      model: 'mock-claude',
      tools,
      messages: [...messages, choice.message, { role: 'tool', tool_call_id: call.id, content: '21°C and sunny' }]
    })
    expect(second.choices[0]?.finish_reason).toBe('stop')
    expect(second.choices[0]?.message.content).toMatch(/^Mock reply to/)
    const sent = stack.mock.requests.at(-1)?.body as { messages: Array<{ role: string, content: Array<Record<string, unknown>> }> }
    expect(sent.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(sent.messages[2]?.content[0]).toEqual({ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: '21°C and sunny' }] })
  })

  it('streamed: the SDK assembles the tool call (index 0 though it is content block 1) and gets usage last', async () => {
    const stream = await client.chat.completions.create({
      model: 'mock-claude', tools, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Weather in Oslo?' }]
    })
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.at(-1)?.choices).toEqual([])
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 })
    expect(chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? [])).map((t) => t.index)).toContain(0)

    // The SDK's own stream helper accumulates deltas by tool-call index into a final completion.
    const runner = client.chat.completions.stream({ model: 'mock-claude', tools, messages: [{ role: 'user', content: 'Weather in Oslo?' }] })
    const final = await runner.finalChatCompletion()
    const message = final.choices[0]?.message
    expect(final.choices[0]?.finish_reason).toBe('tool_calls')
    expect(message?.content).toBe('Calling get_weather.')
    expect(message?.tool_calls).toHaveLength(1)
    const call = message?.tool_calls?.[0]
    if (call?.type !== 'function') throw new Error('no function tool call')
    expect(call.id).toMatch(/^toolu_/)
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Weather in Oslo?' })
  })

  it('refuses an OpenAI parameter Anthropic cannot honour with a 400 the SDK raises as BadRequestError', async () => {
    const before = stack.mock.stats.requests
    await expect(client.chat.completions.create({ model: 'mock-claude', n: 3, messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toMatchObject({ constructor: OpenAI.BadRequestError, status: 400, code: 'UNSUPPORTED_PARAMETER', param: 'n' })
    expect(stack.mock.stats.requests).toBe(before)
  })

  it('an Anthropic overloaded_error mid-stream reaches the SDK as an APIError naming PROVIDER_UNAVAILABLE', async () => {
    stack.mock.enqueue(faults.streamError(4, 529))
    const stream = await client.chat.completions.create({ model: 'mock-claude', stream: true, messages: [{ role: 'user', content: 'Tell a long story' }] })
    let content = ''
    await expect((async () => {
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? ''
    })()).rejects.toMatchObject({ constructor: OpenAI.APIError, code: 'PROVIDER_UNAVAILABLE' })
    expect(content).toBe('Mock')
  })
})
