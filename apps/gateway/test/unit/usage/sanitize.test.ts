import { describe, expect, it } from 'vitest'
import { sanitizeOptional, sanitizeText } from '../../../src/usage/sanitize.js'

describe('sanitizeText', () => {
  it('returns plain text unchanged', () => {
    expect(sanitizeText('gpt-4o-mini', 256)).toBe('gpt-4o-mini')
  })

  it('replaces NUL, other control characters and lone surrogates, keeping valid pairs', () => {
    expect(sanitizeText('a\u0000b\nc\u007fd\u009b', 256)).toBe('a\ufffdb\ufffdc\ufffdd\ufffd')
    expect(sanitizeText('x\ud800y\udc00z🚀', 256)).toBe('x\ufffdy\ufffdz🚀')
  })

  it('caps the length, never leaving half a surrogate pair', () => {
    const long = sanitizeText('m'.repeat(200_000), 256)
    expect(long).toHaveLength(256)
    expect(long.endsWith('…')).toBe(true)
    const emoji = sanitizeText('🚀'.repeat(10), 6)
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
    expect(emoji.length).toBeLessThanOrEqual(6)
  })

  it('maps missing or empty optional values to null', () => {
    expect(sanitizeOptional(undefined, 10)).toBeNull()
    expect(sanitizeOptional('', 10)).toBeNull()
    expect(sanitizeOptional(42, 10)).toBeNull()
    expect(sanitizeOptional('req\u0000', 10)).toBe('req\ufffd')
  })
})
