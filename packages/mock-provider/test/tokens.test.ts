import { describe, expect, it } from 'vitest'
import { countPromptTokens, countTokens, defaultReply, TOKENS_PER_MESSAGE } from '../src/index.js'
import { planReply, replyPieces } from '../src/reply.js'

describe('token counting', () => {
  it('counts one token per whitespace-separated word', () => {
    expect(countTokens('')).toBe(0)
    expect(countTokens('   ')).toBe(0)
    expect(countTokens('hello')).toBe(1)
    expect(countTokens('  hello,\n  big\tworld!  ')).toBe(3)
  })

  it('charges 3 tokens per message on top of its words, text parts included', () => {
    expect(TOKENS_PER_MESSAGE).toBe(3)
    expect(countPromptTokens([
      { content: 'You are terse.' },
      { content: [{ type: 'text', text: 'two words' }, { type: 'image_url' }] },
      { content: null }
    ])).toBe((3 + 3) + (3 + 2) + (3 + 0))
  })
})

describe('the default reply', () => {
  it('quotes the first 40 characters of the last user message', () => {
    const reply = defaultReply({
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: 'The quick brown fox jumps over the lazy dog, twice over' }
      ]
    })
    // 40 characters: 'The quick brown fox jumps over the lazy ' (trailing space trimmed).
    expect(reply).toBe('Mock reply to: The quick brown fox jumps over the lazy')
  })

  it('splits into pieces that join back into the exact text, one per token', () => {
    const text = 'Mock reply to: line one\n  line two'
    const pieces = replyPieces(text)
    expect(pieces).toEqual(['Mock', ' reply', ' to:', ' line', ' one', '\n  line', ' two'])
    expect(pieces.join('')).toBe(text)
    expect(pieces).toHaveLength(countTokens(text))
  })

  it('cuts word-wise at the token limit and finishes with length', () => {
    expect(planReply('a b c d', 2)).toEqual({ pieces: ['a', ' b'], content: 'a b', finishReason: 'length' })
    expect(planReply('a b c d', 4)).toMatchObject({ content: 'a b c d', finishReason: 'stop' })
    expect(planReply('a b c d', null)).toMatchObject({ content: 'a b c d', finishReason: 'stop' })
  })
})
