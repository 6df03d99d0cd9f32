import { describe, expect, it } from 'vitest'
import { displayPrefix, extractApiKey, generateApiKey, hashApiKey } from '../../src/auth/api-key.js'

describe('api keys', () => {
  it('generates distinct, recognisable keys and hashes them deterministically', () => {
    const a = generateApiKey()
    const b = generateApiKey()
    expect(a).not.toBe(b)
    expect(a).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/)
    expect(hashApiKey(a)).toBe(hashApiKey(a))
    expect(hashApiKey(a)).not.toBe(hashApiKey(b))
    expect(hashApiKey(a)).not.toContain(a)
    expect(displayPrefix(a)).toBe(a.slice(0, 12))
  })

  it('reads the key from Authorization: Bearer first, then X-API-Key', () => {
    expect(extractApiKey({ authorization: 'Bearer sk-1' })).toBe('sk-1')
    expect(extractApiKey({ authorization: 'bearer   sk-2 ' })).toBe('sk-2')
    expect(extractApiKey({ 'x-api-key': 'sk-3' })).toBe('sk-3')
    expect(extractApiKey({ authorization: 'Bearer sk-1', 'x-api-key': 'sk-3' })).toBe('sk-1')
    expect(extractApiKey({ authorization: 'Basic abc', 'x-api-key': 'sk-4' })).toBe('sk-4')
    expect(extractApiKey({})).toBeUndefined()
    expect(extractApiKey({ 'x-api-key': '  ' })).toBeUndefined()
  })
})
