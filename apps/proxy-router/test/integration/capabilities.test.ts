import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp, loadRouterConfig } from '../../src/app.js'
import { INTERNAL_TOKEN, internalHeaders } from '../helpers/build-test-app.js'
import { recordedBody, startMock } from '../helpers/mock.js'

/** Two providers on the same mock: one speaking OpenAI, one declared Ollama-like (max_tokens only). */
async function routerFor (baseUrl: string) {
  const file = join(makeTempDir('router-capabilities'), 'routes.json')
  writeFileSync(file, JSON.stringify({
    providers: {
      openai: { type: 'openai', baseUrl },
      ollama: { type: 'openai', baseUrl, capabilities: { maxTokensParam: 'max_tokens' } }
    },
    models: {
      thinker: [{ provider: 'openai', model: 'o4-mini' }],
      'gpt-5-chat': [{ provider: 'openai', model: 'gpt-5-chat-latest' }],
      'not-reasoning': [{ provider: 'openai', model: 'gpt-5-mini', capabilities: { reasoning: false } }],
      local: [{ provider: 'ollama', model: 'llama3.1:8b' }]
    }
  }))
  const app = await buildApp(loadRouterConfig({ INTERNAL_TOKEN, ROUTES_FILE: file, LOG_LEVEL: 'silent' }, 'test'))
  onTestFinished(async () => { await app.close() })
  return app
}

const ask = (model: string, extra: Record<string, unknown>) => ({ model, messages: [{ role: 'user', content: 'one two three four five six' }], ...extra })

describe('model capabilities, asserted at the provider', () => {
  it('a reasoning-model alias sends max_completion_tokens, no temperature/top_p, and keeps reasoning_effort', async () => {
    const mock = await startMock()
    const app = await routerFor(mock.baseUrl)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: internalHeaders,
      payload: ask('thinker', { max_tokens: 3, temperature: 0.7, top_p: 0.5, reasoning_effort: 'low' })
    })
    expect(res.statusCode).toBe(200)
    const sent = recordedBody(mock.requests.at(-1)?.body)
    expect(sent).toMatchObject({ model: 'o4-mini', max_completion_tokens: 3, reasoning_effort: 'low' })
    expect(sent).not.toHaveProperty('max_tokens')
    expect(sent).not.toHaveProperty('temperature')
    expect(sent).not.toHaveProperty('top_p')
    // The limit still took effect upstream: the mock cut the answer at 3 words.
    expect(res.json()).toMatchObject({ choices: [{ finish_reason: 'length' }], usage: { completion_tokens: 3 } })
  })

  it('streams to a reasoning model with the same translation', async () => {
    const mock = await startMock()
    const app = await routerFor(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('thinker', { stream: true, max_tokens: 2, temperature: 1 }) })
    expect(res.statusCode).toBe(200)
    const sent = recordedBody(mock.requests.at(-1)?.body)
    expect(sent).toMatchObject({ stream: true, max_completion_tokens: 2, stream_options: { include_usage: true } })
    expect(sent).not.toHaveProperty('temperature')
  })

  it('an Ollama-style provider gets max_tokens for a client\'s max_completion_tokens', async () => {
    const mock = await startMock()
    const app = await routerFor(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask('local', { max_completion_tokens: 4, temperature: 0.3 }) })
    expect(res.statusCode).toBe(200)
    const sent = recordedBody(mock.requests.at(-1)?.body)
    expect(sent).toMatchObject({ model: 'llama3.1:8b', max_tokens: 4, temperature: 0.3 })
    expect(sent).not.toHaveProperty('max_completion_tokens')
  })

  it.each(['gpt-5-chat', 'not-reasoning'])('%s is a chat model: temperature and max_tokens go as sent, reasoning_effort is dropped', async (alias) => {
    const mock = await startMock()
    const app = await routerFor(mock.baseUrl)
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: internalHeaders, payload: ask(alias, { max_tokens: 4, temperature: 0.3, reasoning_effort: 'high' }) })
    expect(res.statusCode).toBe(200)
    const sent = recordedBody(mock.requests.at(-1)?.body)
    expect(sent).toMatchObject({ max_tokens: 4, temperature: 0.3 })
    expect(sent).not.toHaveProperty('reasoning_effort')
    expect(sent).not.toHaveProperty('max_completion_tokens')
  })
})
