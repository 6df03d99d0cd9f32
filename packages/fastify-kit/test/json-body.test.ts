import { describe, expect, it } from 'vitest'
import { appendJsonField, exceedsJsonDepth, parseJsonBody } from '../src/index.js'

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

function codeOf (fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    return (err as { code?: string }).code
  }
}

describe('parseJsonBody', () => {
  it('parses ordinary bodies, including brackets and escaped quotes inside strings', () => {
    const text = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '[[[{{{ "\\" ]]]' + '['.repeat(500) }] })
    expect(parseJsonBody(text, 8)).toEqual(JSON.parse(text))
  })

  it('accepts nesting up to the limit and refuses one level more with JSON_TOO_DEEP', () => {
    expect(exceedsJsonDepth(nested(8), 8)).toBe(false)
    expect(exceedsJsonDepth(nested(9), 8)).toBe(true)
    expect(codeOf(() => parseJsonBody(nested(10_000)))).toBe('JSON_TOO_DEEP')
  })

  it('refuses a __proto__ key (also spelt with escapes) and constructor.prototype with UNSAFE_JSON_KEY', () => {
    expect(codeOf(() => parseJsonBody('{"a":{"__proto__":{"admin":true}}}'))).toBe('UNSAFE_JSON_KEY')
    expect(codeOf(() => parseJsonBody('{"\\u005f_proto__":{}}'))).toBe('UNSAFE_JSON_KEY')
    expect(codeOf(() => parseJsonBody('[{"constructor":{"prototype":{"x":1}}}]'))).toBe('UNSAFE_JSON_KEY')
  })

  it('lets the words through where they are not keys of the dangerous kind', () => {
    expect(parseJsonBody('{"content":"what is __proto__?","constructor":"Ada"}')).toEqual({ content: 'what is __proto__?', constructor: 'Ada' })
  })

  it('calls bad syntax and an empty body INVALID_JSON', () => {
    expect(codeOf(() => parseJsonBody('{"a":'))).toBe('INVALID_JSON')
    expect(codeOf(() => parseJsonBody(''))).toBe('INVALID_JSON')
  })
})

describe('appendJsonField', () => {
  it('adds a field to the text, keeping every byte before it (trailing whitespace and newlines too)', () => {
    const text = '{ "model": "m", "n": 1.0, "s": "caf\\u00e9" }\n\n'
    const out = appendJsonField(text, 'max_completion_tokens', 64)
    expect(out.startsWith('{ "model": "m", "n": 1.0, "s": "caf\\u00e9" ')).toBe(true)
    expect(JSON.parse(out)).toEqual({ model: 'm', n: 1, s: 'café', max_completion_tokens: 64 })
  })

  it('overrides a field already there (null), as every JSON.parse reads it', () => {
    expect(JSON.parse(appendJsonField('{"max_completion_tokens":null}', 'max_completion_tokens', 8))).toEqual({ max_completion_tokens: 8 })
  })
})
