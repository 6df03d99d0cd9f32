import { describe, expect, it } from 'vitest'
import { buildLoggedApp } from '../helpers/logged-app.js'
import { ADMIN_TOKEN, INTERNAL_TOKEN } from '../helpers/tokens.js'

// Credential headers sent the wrong way round. None of their values may come back in a response
// or appear in any log line.
const LEAKY_KEY = 'sk-sy-LeakyKeyThatMustNeverBeEchoed0123456789'

describe('no part of a credential header is ever echoed or logged', () => {
  it('a key sent as "Authorization: <key>" (no Bearer) gets 401 without the key, in the body or the log', async () => {
    const { app, logs } = await buildLoggedApp()
    const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: LEAKY_KEY }, payload: { model: 'm', messages: [] } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('MISSING_API_KEY')
    expect(res.json().error.message).toContain('not of the form "Bearer <key>"')
    expect(res.body).not.toContain('LeakyKey')
    expect(logs.text()).toContain('MISSING_API_KEY')
    expect(logs.text()).not.toContain('LeakyKey')
  })

  it('covers every guard: client API, admin API and internal routes, with the secret in every header shape', async () => {
    const { app, logs } = await buildLoggedApp()
    const shapes: Array<Record<string, string>> = [
      { authorization: LEAKY_KEY },
      { authorization: `${LEAKY_KEY} trailing words` },
      { authorization: `Bearer ${LEAKY_KEY} extra` },
      { authorization: `Basic ${LEAKY_KEY}` },
      { 'x-api-key': LEAKY_KEY },
      { 'x-internal-token': LEAKY_KEY },
      { authorization: ADMIN_TOKEN.replace('test', 'LeakyKey') },
      { authorization: INTERNAL_TOKEN.replace('test', 'LeakyKey') }
    ]
    const urls = [['GET', '/v1/models'], ['POST', '/v1/chat/completions'], ['GET', '/v1/api-keys'], ['GET', '/internal/db'], ['GET', '/nowhere']] as const
    for (const headers of shapes) {
      for (const [method, url] of urls) {
        const res = await app.inject({ method, url, headers })
        expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400)
        expect(res.body).not.toContain('LeakyKey')
        expect(JSON.stringify(res.headers)).not.toContain('LeakyKey')
      }
    }
    expect(logs.lines.length).toBeGreaterThan(shapes.length * urls.length)
    expect(logs.text()).not.toContain('LeakyKey')
  })

  it('still names a known scheme so the client can see what it did wrong', async () => {
    const { app } = await buildLoggedApp()
    const res = await app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Basic ${LEAKY_KEY}` } })
    expect(res.json().error.message).toContain('"Basic" scheme')
  })
})
