import { describe, expect, it } from 'vitest'
import { countPromptTokens, countTokens, type ChatCompletion, type OpenAIErrorBody } from '../src/index.js'
import { chatBody, postJson } from './helpers/client.js'
import { startForTest } from './helpers/provider.js'

describe('POST /v1/chat/completions (non-streaming)', () => {
  it('answers an OpenAI chat.completion derived from the input, with usage by the documented formula', async () => {
    const provider = await startForTest()
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the capital of France?' }
    ]
    const res = await postJson(`${provider.baseUrl}/chat/completions`, { model: 'some-model', messages })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/)
    const completion = await res.body.json() as ChatCompletion

    const content = 'Mock reply to: What is the capital of France?'
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'some-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }]
    })
    expect(completion.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/)
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60)
    // (3 + 2 words) + (3 + 6 words) = 14 prompt tokens; 9 words in the reply.
    expect(completion.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 })
    expect(completion.usage.prompt_tokens).toBe(countPromptTokens(messages))
    expect(completion.usage.completion_tokens).toBe(countTokens(content))
  })

  it.each([
    ['max_tokens', { max_tokens: 3 }],
    ['max_completion_tokens', { max_completion_tokens: 3 }]
  ])('cuts the reply word-wise at %s and finishes with length', async (_name, limit) => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('tell me a long story', limit))
    const completion = await res.body.json() as ChatCompletion
    expect(completion.choices[0]).toMatchObject({ message: { content: 'Mock reply to:' }, finish_reason: 'length' })
    expect(completion.usage.completion_tokens).toBe(3)
  })

  it('uses a custom reply function when given one', async () => {
    const provider = await startForTest({ reply: (req) => `You said ${req.messages.length} things` })
    const res = await postJson(`${provider.baseUrl}/chat/completions`, chatBody('one'))
    const completion = await res.body.json() as ChatCompletion
    expect(completion.choices[0]?.message.content).toBe('You said 1 things')
  })

  it('accepts any model unless strictModels, then answers OpenAI 404 model_not_found', async () => {
    const lenient = await startForTest()
    expect((await postJson(`${lenient.baseUrl}/chat/completions`, chatBody('hi', { model: 'gpt-17' }))).statusCode).toBe(200)

    const strict = await startForTest({ strictModels: true, models: ['only-this'] })
    expect((await postJson(`${strict.baseUrl}/chat/completions`, chatBody('hi', { model: 'only-this' }))).statusCode).toBe(200)
    const res = await postJson(`${strict.baseUrl}/chat/completions`, chatBody('hi', { model: 'gpt-17' }))
    expect(res.statusCode).toBe(404)
    expect(await res.body.json()).toEqual({
      error: { message: 'The model `gpt-17` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' }
    })
  })
})

describe('request validation errors in OpenAI\'s shape', () => {
  const cases: Array<[string, unknown, OpenAIErrorBody['error']]> = [
    ['missing model', { messages: [{ role: 'user', content: 'hi' }] },
      { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null }],
    ['missing messages', { model: 'mock-gpt' },
      { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' }],
    ['empty messages', { model: 'mock-gpt', messages: [] },
      { message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", type: 'invalid_request_error', param: 'messages', code: 'empty_array' }],
    ['an unknown role', { model: 'mock-gpt', messages: [{ role: 'robot', content: 'hi' }] },
      { message: "Invalid value: 'robot'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', and 'function'.", type: 'invalid_request_error', param: 'messages[0].role', code: 'invalid_value' }],
    ['a string where a boolean belongs', { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], stream: 'yes' },
      { message: "Invalid type for 'stream': expected a boolean, but got a string instead.", type: 'invalid_request_error', param: 'stream', code: 'invalid_type' }],
    ['max_tokens below 1', { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 },
      { message: "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'integer_below_min_value' }]
  ]

  it.each(cases)('answers 400 for %s', async (_name, body, error) => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, body)
    expect(res.statusCode).toBe(400)
    expect(await res.body.json()).toEqual({ error })
  })

  it('answers 400 with OpenAI\'s message for a body that is not JSON', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completions`, '{"model": "mock-gpt", "messages": [')
    expect(res.statusCode).toBe(400)
    const { error } = await res.body.json() as OpenAIErrorBody
    expect(error).toMatchObject({ type: 'invalid_request_error', param: null, code: null })
    expect(error.message).toMatch(/^We could not parse the JSON body of your request/)
  })

  it('answers OpenAI\'s 404 for unknown paths', async () => {
    const provider = await startForTest()
    const res = await postJson(`${provider.baseUrl}/chat/completion`, chatBody('hi'))
    expect(res.statusCode).toBe(404)
    expect(await res.body.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/chat/completion)', type: 'invalid_request_error', param: null, code: null }
    })
  })
})
