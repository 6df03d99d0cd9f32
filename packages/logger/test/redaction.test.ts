import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { buildLoggerOptions, redactPaths } from '../src/index.js'

const SECRET = 'sk-live-redactionProbe0123456789abcdef'

function logger (): { log: pino.Logger, text: () => string } {
  const lines: string[] = []
  const sink = new Writable({ write (chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb() } })
  return { log: pino(buildLoggerOptions({ service: 'test', version: '0.0.0', level: 'info', pretty: false }), sink), text: () => lines.join('') }
}

/** An object holding SECRET at `path` (pino's path syntax: dots, ["bracketed"] keys, * = any key). */
function objectWithSecretAt (path: string): Record<string, unknown> {
  const keys = [...path.matchAll(/\["([^"]+)"\]|([^.[\]]+)/g)].map((m) => m[1] ?? m[2] ?? '').map((k) => k === '*' ? 'anything' : k)
  const root: Record<string, unknown> = {}
  let node = root
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = SECRET
    else node = (node[key] = {}) as Record<string, unknown>
  })
  return root
}

describe('redactPaths', () => {
  it.each([...redactPaths])('blanks %s', (path) => {
    const { log, text } = logger()
    log.info(objectWithSecretAt(path), 'line')
    expect(text()).not.toContain(SECRET)
    expect(text()).toContain('[redacted]')
  })

  it('covers the forms credentials take in this system', () => {
    const forms = [
      'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["x-internal-token"]', 'req.headers["x-admin-token"]',
      'err.headers.authorization', 'err.config.headers.Authorization', 'err.request.headers["x-api-key"]', 'err.cause.headers.authorization',
      'headers["x-goog-api-key"]', 'apiKey', 'config.apiKey', 'providers.apiKey', 'upstream.headers.authorization', 'adminToken', 'internalToken', 'healthToken'
    ]
    for (const form of forms) {
      const { log, text } = logger()
      log.info(objectWithSecretAt(form), 'line')
      expect(text(), form).not.toContain(SECRET)
    }
  })

  it('blanks the headers of an Error logged as err (undici and HTTP-client errors carry them)', () => {
    const { log, text } = logger()
    const err = Object.assign(new Error('request failed'), {
      config: { headers: { Authorization: `Bearer ${SECRET}` } },
      headers: { 'x-api-key': SECRET },
      cause: Object.assign(new Error('socket'), { headers: { authorization: `Bearer ${SECRET}` } })
    })
    log.error({ err }, 'upstream call failed')
    expect(text()).toContain('request failed')
    expect(text()).not.toContain(SECRET)
  })

  it('has no path starting with a wildcard (pino would then run the redactor on every field of every line)', () => {
    expect(redactPaths.filter((path) => path.startsWith('*'))).toEqual([])
  })

  it('leaves ordinary fields alone', () => {
    const { log, text } = logger()
    log.info({ keyId: 'key_123', provider: 'openai', model: 'gpt-4o' }, 'line')
    expect(JSON.parse(text())).toMatchObject({ keyId: 'key_123', provider: 'openai', model: 'gpt-4o' })
  })
})
