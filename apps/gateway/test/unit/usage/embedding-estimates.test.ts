import { describe, expect, it } from 'vitest'
import { estimateInputTokens as reserveFor } from '../../../src/quota/estimate.js'
import { settleOutcome, type RequestOutcome } from '../../../src/usage/request-outcome.js'
import { countTextTokens, estimateInputTokens } from '../../../src/usage/estimate-tokens.js'

describe('embeddings input estimates', () => {
  it('quota reservation: characters / 4 for texts, the length of token arrays, no per-message overhead', () => {
    expect(reserveFor('abcdefgh')).toBe(2)
    expect(reserveFor(['abcd', 'abcdefg'])).toBe(3)
    expect(reserveFor([101, 102, 103])).toBe(3)
    expect(reserveFor([[1, 2], [3, 4, 5]])).toBe(5)
    expect(reserveFor(undefined)).toBe(0)
  })

  it('usage fallback: tokenized texts and token arrays, used when the provider reported nothing and the client left', () => {
    expect(estimateInputTokens(['hello world', 'again'])).toBe(countTextTokens('hello world') + countTextTokens('again'))
    expect(estimateInputTokens([[1, 2, 3], [4]])).toBe(4)
    const outcome: RequestOutcome = { startedAt: 0, endpoint: 'embeddings', model: 'm', streamed: false, messages: [], input: 'hello world', recorded: false }
    expect(settleOutcome(outcome, { finished: false, headersSent: false, statusCode: 200 })).toMatchObject({
      promptTokens: countTextTokens('hello world'), completionTokens: 0, estimated: true, statusCode: 499
    })
    // Reported usage wins: prompt tokens only, no completion.
    outcome.usage = { promptTokens: 7, completionTokens: 0, totalTokens: 7 }
    expect(settleOutcome(outcome, { finished: true, headersSent: true, statusCode: 200 })).toMatchObject({ promptTokens: 7, completionTokens: 0, totalTokens: 7, estimated: false })
  })
})
