import { describe, expect, it } from 'vitest'
import { bodyText } from '../src/index.js'

describe('bodyText', () => {
  it('decodes UTF-8 and drops a leading byte-order mark, as undici\'s body.text() does', () => {
    expect(JSON.parse(bodyText(Buffer.from('\ufeff{"a":"ünï"}')))).toEqual({ a: 'ünï' })
    expect(bodyText(Buffer.from('{"a":1}'))).toBe('{"a":1}')
    expect(bodyText(Buffer.from('x\ufeff'))).toBe('x\ufeff')
    expect(bodyText(Buffer.alloc(0))).toBe('')
  })
})
