import { ConfigError } from '@switchyard/config'
import { describe, expect, it } from 'vitest'
import { applyCapabilities, guessCapabilities, resolveCapabilities } from '../../src/providers/capabilities/index.js'
import { openaiAdapter } from '../../src/providers/openai/index.js'
import { parseRoutingTable } from '../../src/routing/routing-table.js'

describe('the capability table guesses from the provider\'s model name', () => {
  it.each([
    'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-pro', 'gpt-5-2025-08-07', 'gpt-5.1', 'gpt-5.1-codex', 'GPT-5-Mini',
    'o1', 'o1-2024-12-17', 'o3', 'o3-mini', 'o3-pro', 'o4-mini', 'openai/o3-mini', 'openai/gpt-5'
  ])('%s is a reasoning model taking max_completion_tokens and reasoning_effort, no sampling', (model) => {
    expect(guessCapabilities(model)).toEqual({ reasoning: true, maxTokensParam: 'max_completion_tokens', sampling: false, reasoningEffort: true })
  })

  it.each(['o1-mini', 'o1-preview', 'o1-mini-2024-09-12'])('%s is a reasoning model that rejects reasoning_effort', (model) => {
    expect(guessCapabilities(model)).toMatchObject({ reasoning: true, maxTokensParam: 'max_completion_tokens', reasoningEffort: false })
  })

  it.each(['gpt-5-chat', 'gpt-5-chat-latest', 'gpt-5.1-chat-latest', 'openai/gpt-5-chat', 'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-3.5-turbo', 'chatgpt-4o-latest'])(
    '%s is a chat model: sampling kept, max tokens as sent, reasoning_effort dropped', (model) => {
      expect(guessCapabilities(model)).toEqual({ reasoning: false, maxTokensParam: 'either', sampling: true, reasoningEffort: false })
    })

  it.each(['llama3.1:8b', 'mock-gpt', 'anthropic/claude-sonnet-4', 'deepseek-r1', 'gpt-oss:20b', 'o10-preview', 'foo-o3'])(
    '%s is unknown: the request goes as sent', (model) => {
      expect(guessCapabilities(model)).toEqual({ reasoning: false, maxTokensParam: 'either', sampling: true, reasoningEffort: true })
    })
})

describe('resolveCapabilities: stated capabilities win over the guess', () => {
  it('a deployment stating reasoning: false makes a gpt-5 name a chat model', () => {
    expect(resolveCapabilities('gpt-5-mini', {}, { reasoning: false })).toMatchObject({ reasoning: false, maxTokensParam: 'either', sampling: true })
  })

  it('a deployment stating reasoning: true makes an unknown name a reasoning model', () => {
    expect(resolveCapabilities('my-reasoner', {}, { reasoning: true })).toMatchObject({ reasoning: true, maxTokensParam: 'max_completion_tokens', sampling: false })
  })

  it('a provider\'s maxTokensParam applies to its deployments, including a stated reasoning preset', () => {
    expect(resolveCapabilities('qwen3:8b', { maxTokensParam: 'max_tokens' })).toMatchObject({ maxTokensParam: 'max_tokens', sampling: true })
    expect(resolveCapabilities('qwen3:8b', { maxTokensParam: 'max_tokens' }, { reasoning: true })).toMatchObject({ reasoning: true, maxTokensParam: 'max_tokens', sampling: false })
  })

  it('the deployment\'s explicit fields win over the provider\'s', () => {
    expect(resolveCapabilities('x', { maxTokensParam: 'max_tokens', sampling: false }, { maxTokensParam: 'either' })).toMatchObject({ maxTokensParam: 'either', sampling: false })
  })

  it('a deployment\'s reasoning wins over the provider\'s', () => {
    expect(resolveCapabilities('o3', { reasoning: true }, { reasoning: false }).reasoning).toBe(false)
  })
})

describe('applyCapabilities', () => {
  const reasoning = guessCapabilities('o3')
  const chat = guessCapabilities('gpt-4o')
  const maxTokensOnly = resolveCapabilities('llama3.1:8b', { maxTokensParam: 'max_tokens' })

  it('moves max_tokens to max_completion_tokens and drops sampling parameters for a reasoning model', () => {
    const body = { model: 'o3', messages: [], max_tokens: 100, temperature: 0.2, top_p: 0.9, presence_penalty: 1, frequency_penalty: 1, reasoning_effort: 'low', n: 2, logprobs: true }
    expect(applyCapabilities(body, reasoning)).toEqual({ model: 'o3', messages: [], max_completion_tokens: 100, reasoning_effort: 'low', n: 2, logprobs: true })
    expect(body).toHaveProperty('temperature', 0.2)
  })

  it('keeps the client\'s max_completion_tokens when both names were sent', () => {
    expect(applyCapabilities({ max_tokens: 10, max_completion_tokens: 20 }, reasoning)).toEqual({ max_completion_tokens: 20 })
    expect(applyCapabilities({ max_tokens: 10, max_completion_tokens: 20 }, maxTokensOnly)).toEqual({ max_tokens: 10 })
  })

  it('moves max_completion_tokens to max_tokens for a server that only knows max_tokens', () => {
    expect(applyCapabilities({ max_completion_tokens: 64, temperature: 0 }, maxTokensOnly)).toEqual({ max_tokens: 64, temperature: 0 })
  })

  it('drops reasoning_effort for a chat model and changes nothing else', () => {
    expect(applyCapabilities({ max_tokens: 5, max_completion_tokens: 6, temperature: 1, reasoning_effort: 'high' }, chat))
      .toEqual({ max_tokens: 5, max_completion_tokens: 6, temperature: 1 })
  })

  it('adds nothing that was not sent', () => {
    expect(applyCapabilities({ model: 'o3' }, reasoning)).toEqual({ model: 'o3' })
    expect(applyCapabilities({ model: 'x' }, maxTokensOnly)).toEqual({ model: 'x' })
  })
})

describe('routing table capabilities', () => {
  const providers = {
    openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1' },
    ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', capabilities: { maxTokensParam: 'max_tokens' } }
  }

  it('resolves each deployment\'s capabilities at boot and the OpenAI adapter applies them', () => {
    const routes = parseRoutingTable({
      providers,
      models: {
        think: [{ provider: 'openai', model: 'o4-mini' }, { provider: 'ollama', model: 'qwen3:8b', capabilities: { reasoning: true } }],
        chat: [{ provider: 'openai', model: 'gpt-5-mini', capabilities: { reasoning: false } }]
      }
    }, {})
    const [openai, ollama] = routes.models.get('think') ?? []
    const [chat] = routes.models.get('chat') ?? []
    expect(openai?.capabilities).toMatchObject({ reasoning: true, maxTokensParam: 'max_completion_tokens' })
    expect(ollama?.capabilities).toMatchObject({ reasoning: true, maxTokensParam: 'max_tokens', sampling: false })
    expect(chat?.capabilities).toMatchObject({ reasoning: false, sampling: true })

    const sent = (deployment: typeof openai) => {
      if (deployment === undefined) throw new Error('no deployment')
      // Fields beyond model/messages/stream pass through untyped, as from a client.
      const body = { model: 'think', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50, temperature: 0.5 }
      const req = openaiAdapter.buildRequest('chat.completions', body, deployment)
      return JSON.parse(req.body) as Record<string, unknown>
    }
    expect(sent(openai)).toEqual({ model: 'o4-mini', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 50 })
    expect(sent(ollama)).toEqual({ model: 'qwen3:8b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 })
    expect(sent(chat)).toMatchObject({ model: 'gpt-5-mini', max_tokens: 50, temperature: 0.5 })
  })

  it.each([
    [{ maxTokensParam: 'max_output_tokens' }, /\/models\/m\/0\/capabilities\/maxTokensParam/],
    [{ reasoning: 'yes' }, /\/models\/m\/0\/capabilities\/reasoning/],
    [{ thinking: true }, /\/models\/m\/0\/capabilities/]
  ])('refuses a bad capabilities entry %j, naming where it is', (capabilities, where) => {
    const file = { providers, models: { m: [{ provider: 'openai', model: 'o3', capabilities }] } }
    expect(() => parseRoutingTable(file, {})).toThrow(ConfigError)
    expect(() => parseRoutingTable(file, {})).toThrow(where)
  })
})
