import { once } from 'node:events'
import { createServer } from 'node:net'
import { errors, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { openaiAdapter } from '../../src/providers/openai/index.js'
import { classifyTransportError, classifyUnreadableResponse, classifyUpstreamResponse, retryAfterOf } from '../../src/upstream/classify.js'
import { readHttpFixture } from '../helpers/fixtures.js'

function classifyFixture (name: string, provider = 'upstream') {
  const res = readHttpFixture(name)
  return classifyUpstreamResponse({ provider, status: res.status, headers: res.headers, error: openaiAdapter.parseError(res.body), body: res.body })
}

describe('classifyUpstreamResponse on recorded provider errors', () => {
  it.each([
    ['openai-invalid-api-key.http', 'PROVIDER_AUTH_FAILED', 502, { providerStatus: 401, providerCode: 'invalid_api_key' }],
    ['openrouter-user-not-found.http', 'PROVIDER_AUTH_FAILED', 502, { providerStatus: 401, providerCode: '401' }],
    ['openai-insufficient-quota.http', 'PROVIDER_QUOTA_EXCEEDED', 502, { providerStatus: 429, providerCode: 'insufficient_quota' }],
    ['openrouter-insufficient-credits.http', 'PROVIDER_QUOTA_EXCEEDED', 502, { providerStatus: 402 }],
    ['openai-rate-limit.http', 'PROVIDER_RATE_LIMITED', 429, { providerStatus: 429, retryAfterSeconds: 20 }],
    ['azure-openai-rate-limit-ms.http', 'PROVIDER_RATE_LIMITED', 429, { providerStatus: 429, retryAfterSeconds: 3 }],
    ['openai-context-length.http', 'CONTEXT_LENGTH_EXCEEDED', 400, { providerStatus: 400, providerCode: 'context_length_exceeded' }],
    ['openrouter-context-length-wrapped.http', 'CONTEXT_LENGTH_EXCEEDED', 400, { providerStatus: 400 }],
    ['deepseek-context-length.http', 'CONTEXT_LENGTH_EXCEEDED', 400, { providerStatus: 400 }],
    ['openai-invalid-temperature.http', 'PROVIDER_BAD_REQUEST', 400, { providerStatus: 400, providerCode: 'decimal_above_max_value' }],
    ['ollama-model-not-found.http', 'PROVIDER_MODEL_UNAVAILABLE', 502, { providerStatus: 404 }],
    ['openai-server-error.http', 'PROVIDER_UNAVAILABLE', 502, { providerStatus: 500 }],
    ['cloudflare-bad-gateway.http', 'PROVIDER_UNAVAILABLE', 502, { providerStatus: 502 }]
  ])('%s → %s (%i)', (file, code, status, details) => {
    const err = classifyFixture(file, 'acme')
    expect(err.code).toBe(code)
    expect(err.statusCode).toBe(status)
    expect(err.details).toMatchObject({ provider: 'acme', ...details })
    // The provider's raw answer is kept for the log, never dropped.
    expect(String((err.cause as Error).message)).toContain(`answered HTTP ${readHttpFixture(file).status}`)
  })

  it('names the provider in the client message of an auth failure, without echoing the key fragment', () => {
    const err = classifyFixture('openai-invalid-api-key.http', 'openai')
    expect(err.message).toBe('The provider "openai" rejected this gateway\'s credentials.')
    expect(JSON.stringify(err.details)).not.toContain('sk-proj')
  })

  it('passes the provider message to the client when the request itself was refused', () => {
    const err = classifyFixture('openai-invalid-temperature.http', 'openai')
    expect(err.details?.['providerMessage']).toMatch(/^Invalid 'temperature': decimal above maximum value/)
    expect(err.message).toContain('rejected the request: Invalid \'temperature\'')
  })

  it('keeps the context length message, so the client learns the limit', () => {
    expect(classifyFixture('openai-context-length.http').details?.['providerMessage']).toContain('maximum context length is 8192 tokens')
  })

  it('sends Retry-After to the client: as given in seconds, or converted from retry-after-ms', () => {
    expect(classifyFixture('openai-rate-limit.http').headers).toEqual({ 'retry-after': '20' })
    expect(classifyFixture('azure-openai-rate-limit-ms.http').headers).toEqual({ 'retry-after': '3' })
    expect(classifyFixture('openai-insufficient-quota.http').headers).toEqual({})
  })

  it('marks transient failures retryable and permanent ones not (x-should-retry)', () => {
    expect(classifyFixture('openai-rate-limit.http').retryable).toBe(true)
    expect(classifyFixture('openai-server-error.http').retryable).toBe(true)
    expect(classifyFixture('openai-insufficient-quota.http').retryable).toBe(false)
    expect(classifyFixture('openrouter-user-not-found.http').retryable).toBe(false)
  })

  it('treats a redirect (baseUrl pointing at a web page) as a bad response', () => {
    const err = classifyUpstreamResponse({ provider: 'p', status: 301, headers: { location: 'https://example.com/' }, error: {}, body: '' })
    expect(err.code).toBe('PROVIDER_BAD_RESPONSE')
  })

  it('a 4xx without any readable message still says which status it was', () => {
    const err = classifyUpstreamResponse({ provider: 'p', status: 422, headers: {}, error: openaiAdapter.parseError('not json'), body: 'not json' })
    expect(err.code).toBe('PROVIDER_BAD_REQUEST')
    expect(err.details).toMatchObject({ providerMessage: 'HTTP 422', providerStatus: 422 })
  })
})

describe('retryAfterOf', () => {
  it('prefers retry-after, accepts HTTP dates as they are, rounds retry-after-ms up', () => {
    expect(retryAfterOf({ 'retry-after': '7', 'retry-after-ms': '100' })).toBe('7')
    expect(retryAfterOf({ 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' })).toBe('Wed, 21 Oct 2026 07:28:00 GMT')
    expect(retryAfterOf({ 'retry-after-ms': '1001' })).toBe('2')
    expect(retryAfterOf({ 'retry-after-ms': 'soon' })).toBeUndefined()
    expect(retryAfterOf({})).toBeUndefined()
  })
})

describe('classifyTransportError', () => {
  it.each([
    [new errors.ConnectTimeoutError(), 'PROVIDER_TIMEOUT', 504, 'timeout', 'connect'],
    [new errors.HeadersTimeoutError(), 'PROVIDER_TIMEOUT', 504, 'timeout', 'headers'],
    [new errors.BodyTimeoutError(), 'PROVIDER_TIMEOUT', 504, 'timeout', 'body'],
    [new errors.SocketError('other side closed'), 'PROVIDER_UNAVAILABLE', 502, 'connection_reset', undefined],
    [Object.assign(new Error('getaddrinfo ENOTFOUND api.example.invalid'), { code: 'ENOTFOUND' }), 'PROVIDER_UNAVAILABLE', 502, 'dns_failure', undefined],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'PROVIDER_UNAVAILABLE', 502, 'connection_reset', undefined],
    [Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:443'), { code: 'ECONNREFUSED' }), 'PROVIDER_UNAVAILABLE', 502, 'connection_refused', undefined],
    [Object.assign(new Error('Hostname/IP does not match certificate\'s altnames'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'PROVIDER_UNAVAILABLE', 502, 'tls_failure', undefined],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'PROVIDER_UNAVAILABLE', 502, 'tls_failure', undefined]
  ])('%s → %s (%s)', (error, code, status, cause, timeout) => {
    const err = classifyTransportError('acme', error)
    expect(err.code).toBe(code)
    expect(err.statusCode).toBe(status)
    expect(err.details).toEqual({ provider: 'acme', cause, ...(timeout === undefined ? {} : { timeout }) })
    expect(err.cause).toBe(error)
  })

  it('recognises a real refused connection (including happy-eyeballs AggregateErrors)', async () => {
    const server = createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    const refused = await request(`http://localhost:${port}/`).catch((err: unknown) => err)
    const err = classifyTransportError('local', refused)
    expect(err.code).toBe('PROVIDER_UNAVAILABLE')
    expect(err.details?.['cause']).toBe('connection_refused')
  })

  it('includes the provider status when the body failed after the headers', () => {
    expect(classifyTransportError('acme', new errors.BodyTimeoutError(), 200).details).toEqual({ provider: 'acme', cause: 'timeout', providerStatus: 200, timeout: 'body' })
  })

  it('an unrecognised error is a router bug: INTERNAL_ERROR with the cause kept', () => {
    const bug = new TypeError('cannot read properties of undefined')
    const err = classifyTransportError('acme', bug)
    expect(err.code).toBe('INTERNAL_ERROR')
    expect(err.cause).toBe(bug)
  })
})

describe('classifyUnreadableResponse', () => {
  it('a 2xx that is not JSON is PROVIDER_BAD_RESPONSE with the status', () => {
    const cause = new SyntaxError('Unexpected token <')
    const err = classifyUnreadableResponse('acme', 200, cause)
    expect(err.code).toBe('PROVIDER_BAD_RESPONSE')
    expect(err.details).toEqual({ provider: 'acme', providerStatus: 200 })
    expect(err.cause).toBe(cause)
  })
})
