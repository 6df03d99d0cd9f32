import { faults } from '@switchyard/mock-provider'
import { request } from 'undici'
import { describe, expect, it } from 'vitest'
import { buildTestApp, internalHeaders, listen } from '../helpers/build-test-app.js'
import { startMock } from '../helpers/mock.js'
import { sseData } from '../helpers/sse.js'

// The workload that broke the systems Switchyard replaces: back-to-back completions of real
// sizes, each taking seconds (prompt/completion tokens as the issue lists them; they add up to
// 24,944, not the 24,014 the issue states).
const pattern: Array<[number, number]> = [
  [664, 2], [2280, 55], [3737, 321], [1371, 89], [1517, 45], [4161, 88],
  [1966, 28], [1290, 258], [1639, 124], [2408, 67], [2031, 38], [714, 51]
]

interface Usage { prompt_tokens: number, completion_tokens: number }

describe('12 completions back to back', () => {
  it('all succeed, each taking 2-4 s at the provider, over no more than 2 router→provider connections', async () => {
    // The mock's prompt_tokens = 3 + words per message; its reply is cut at max_tokens words.
    const mock = await startMock({ reply: () => 'word '.repeat(400).trim() })
    const url = await listen(await buildTestApp(mock.baseUrl))
    for (const [i, [prompt, completion]] of pattern.entries()) {
      mock.enqueue(faults.delayHeaders(2000 + (i * 397) % 2000))
      const streaming = i % 2 === 1
      const res = await request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...internalHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'mock-gpt',
          messages: [{ role: 'user', content: 'token '.repeat(prompt - 3).trim() }],
          max_tokens: completion,
          stream: streaming
        })
      })
      expect(res.statusCode).toBe(200)
      const text = await res.body.text()
      const usage = streaming
        ? (JSON.parse(sseData(text).at(-2) ?? '{}') as { usage: Usage }).usage
        : (JSON.parse(text) as { usage: Usage }).usage
      expect([usage.prompt_tokens, usage.completion_tokens]).toEqual([prompt, completion])
    }
    expect(mock.stats.connections).toBeLessThanOrEqual(2)
  }, 90_000)
})
