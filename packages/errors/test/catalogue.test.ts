import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { catalogue, fromErrorEnvelope, renderErrorsDoc, SwitchyardError, toErrorEnvelope, errorHeaders } from '../src/index.js'

describe('error catalogue', () => {
  it('contains the codes docs/architecture.md and the README promise clients', () => {
    for (const code of ['QUOTA_EXCEEDED', 'RATE_LIMIT_EXCEEDED', 'PROVIDER_QUOTA_EXCEEDED', 'PROVIDER_RATE_LIMITED',
      'PROVIDER_AUTH_FAILED', 'PROVIDER_TIMEOUT', 'PROVIDER_UNAVAILABLE', 'CONTEXT_LENGTH_EXCEEDED',
      'INVALID_API_KEY', 'MODEL_NOT_FOUND', 'MODEL_NOT_ALLOWED', 'INVALID_REQUEST', 'INTERNAL_ERROR']) {
      expect(catalogue).toHaveProperty(code)
    }
  })

  it('fills the message from details and builds the OpenAI envelope with the request id', () => {
    const err = new SwitchyardError('QUOTA_EXCEEDED', { details: { scope: 'user', used: 10500, limit: 10000, resetAt: '2025-11-01T00:00:00Z' } })
    const body = toErrorEnvelope(err, 'req_1')
    expect(body.error).toEqual({
      message: 'Monthly token quota of the user exceeded (10500 of 10000 tokens used); resets 2025-11-01T00:00:00Z.',
      type: 'rate_limit_error',
      code: 'QUOTA_EXCEEDED',
      param: null,
      details: { scope: 'user', used: 10500, limit: 10000, resetAt: '2025-11-01T00:00:00Z' },
      request_id: 'req_1'
    })
    expect(err.statusCode).toBe(429)
    expect(errorHeaders(err)['x-should-retry']).toBe('false')
  })

  it('round-trips an envelope from another service, keeping code, details and status', () => {
    const original = new SwitchyardError('MODEL_NOT_FOUND', { details: { model: 'gpt-9' } })
    const copy = fromErrorEnvelope(404, JSON.parse(JSON.stringify(toErrorEnvelope(original, 'r'))))
    expect(copy?.code).toBe('MODEL_NOT_FOUND')
    expect(copy?.message).toBe('The model "gpt-9" does not exist on this gateway.')
    expect(copy?.statusCode).toBe(404)
    expect(fromErrorEnvelope(500, { error: { code: 'NOT_OURS' } })).toBeUndefined()
    expect(fromErrorEnvelope(500, 'oops')).toBeUndefined()
  })

  it('docs/errors.md matches the catalogue (run the docs script after changing codes)', () => {
    const committed = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
    expect(committed).toBe(renderErrorsDoc())
  })
})
