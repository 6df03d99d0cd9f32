import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { buildLoggerOptions } from '../src/index.js'

describe('buildLoggerOptions', () => {
  it('never writes API keys or tokens from request headers', () => {
    const lines: string[] = []
    const sink = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb() } })
    const log = pino(buildLoggerOptions({ service: 'gateway', version: '1.0.0', level: 'info', pretty: false }), sink)
    log.info({ req: { headers: { authorization: 'Bearer sk-secret', 'x-api-key': 'sk-other', 'x-internal-token': 'tok' } } }, 'hello')
    const out = lines.join('')
    expect(out).not.toContain('sk-secret')
    expect(out).not.toContain('sk-other')
    expect(out).not.toContain('"tok"')
    expect(JSON.parse(out)).toMatchObject({ service: 'gateway', version: '1.0.0', msg: 'hello' })
  })
})
