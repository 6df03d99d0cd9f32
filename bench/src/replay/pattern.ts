// The workload that broke the systems Switchyard replaces: 12 completions of real sizes back to
// back, each taking seconds at the provider (the same pattern as the proxy-router's
// sequential-load test). The mock in another process is steered per request by `metadata`
// directives (packages/mock-provider: MOCK_PROVIDER_DIRECTIVES), which the gateway and the router
// forward untouched as part of the body.

/** [prompt_tokens, completion_tokens] of each call, in order. */
export const PATTERN: ReadonlyArray<readonly [number, number]> = [
  [664, 2], [2280, 55], [3737, 321], [1371, 89], [1517, 45], [4161, 88],
  [1966, 28], [1290, 258], [1639, 124], [2408, 67], [2031, 38], [714, 51]
]

export interface ExpectedCall {
  body: string
  stream: boolean
  promptTokens: number
  completionTokens: number
}

/**
 * Call `i` of sequence `seq`: the mock waits 2–4 s before answering (varied by call and sequence),
 * streams and non-streams alternate. The mock counts prompt_tokens as 3 + words of the message, so
 * `prompt − 3` words give exactly `prompt`; its reply is `completion` words, cut at max_tokens.
 */
export function sequenceCall (i: number, seq: number): ExpectedCall {
  const [prompt, completion] = PATTERN[i % PATTERN.length] ?? [4, 1]
  const stream = i % 2 === 1
  const delayMs = 2000 + ((i + seq * 5) * 397) % 2000
  return {
    stream,
    promptTokens: prompt,
    completionTokens: completion,
    body: JSON.stringify({
      model: 'mock-gpt',
      messages: [{ role: 'user', content: 'token '.repeat(prompt - 3).trim() }],
      max_tokens: completion,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      metadata: { mock_delay_ms: String(delayMs), mock_completion_tokens: String(completion) }
    })
  }
}

/**
 * One stream of the burst: held open about `holdMs` by the mock, which sends its events
 * `intervalMs` apart (role, `words` words, finish, usage, [DONE]: words + 4 events, words + 3 gaps).
 */
export function burstCall (holdMs: number, intervalMs: number): ExpectedCall {
  const words = Math.max(1, Math.round(holdMs / intervalMs) - 3)
  return {
    stream: true,
    promptTokens: 4,
    completionTokens: words,
    body: JSON.stringify({
      model: 'mock-gpt',
      messages: [{ role: 'user', content: 'burst' }],
      max_tokens: words,
      stream: true,
      stream_options: { include_usage: true },
      metadata: { mock_chunk_interval_ms: String(intervalMs), mock_completion_tokens: String(words) }
    })
  }
}
