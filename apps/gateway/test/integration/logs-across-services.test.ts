import { faults } from '@switchyard/mock-provider'
import { captureLogs, type LogCapture } from '@switchyard/testing'
import { request } from 'undici'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ADMIN_TOKEN, INTERNAL_TOKEN, startStack, type Stack } from '../helpers/stack.js'

// The logs of gateway and router together, as an operator's log search sees them: one completion
// line per request in each service, one error line per upstream failure in the whole system, and
// never a credential.

const OPENAI_KEY = 'sk-live-Zq8LmN3vR7tY2wX9kP4sH6jD1fG5aB0c'
const ANTHROPIC_KEY = 'sk-ant-api03-Hq2Wm9Xr4Tz7Ly1Kp6Vn3Bc8Df5Gj0Ns'
const WRONG_CLIENT_KEY = 'sk-live-notAGatewayKey8Jf3Kd9Lm2Nq7Rt4Vw'

interface Logged { gateway: LogCapture, router: LogCapture, stack: Stack, key: string, keyId: string }

async function loggedStack (routerEnv: Record<string, string> = {}): Promise<Logged> {
  const gateway = captureLogs()
  const router = captureLogs()
  const stack = await startStack({
    backend: 'pglite',
    revokedProvider: true,
    providerKeys: { openai: OPENAI_KEY, anthropic: ANTHROPIC_KEY },
    gatewayEnv: { LOG_LEVEL: 'info' },
    routerEnv: { LOG_LEVEL: 'info', ...routerEnv },
    logStream: gateway.stream,
    routerLogStream: router.stream
  })
  onTestFinished(stack.close)
  const { id, key } = await stack.createKey('logs')
  return { gateway, router, stack, key, keyId: id }
}

async function chat (stack: Stack, authorization: string, body: Record<string, unknown>): Promise<{ status: number, requestId: string, text: string }> {
  const res = await request(`${stack.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }], ...body })
  })
  return { status: res.statusCode, requestId: String(res.headers['x-request-id']), text: await res.body.text() }
}

/** The completion line(s) of one request id (lines carrying a path are request lines). */
const requestLines = (logs: LogCapture, requestId: string) => logs.records().filter((r) => r['reqId'] === requestId && r['path'] !== undefined)
const errorLines = (logs: LogCapture) => logs.records().filter((r) => typeof r['level'] === 'number' && r['level'] >= 50)

describe('logs across gateway and router', () => {
  it('write one completion line per request in each service, with ids, provider, attempts and final tokens', async () => {
    const { gateway, router, stack, key, keyId } = await loggedStack()

    const plain = await chat(stack, `Bearer ${key}`, { model: 'mock-gpt' })
    expect(plain.status).toBe(200)
    const usage = (JSON.parse(plain.text) as { usage: { prompt_tokens: number, completion_tokens: number, total_tokens: number } }).usage
    const [gw] = requestLines(gateway, plain.requestId)
    expect(requestLines(gateway, plain.requestId)).toHaveLength(1)
    expect(gw).toMatchObject({
      level: 30,
      status: 200,
      model: 'mock-gpt',
      keyId,
      userId: expect.any(String),
      provider: 'mock',
      deployment: 'mock/mock-gpt',
      attempts: 1,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      totalTokens: usage.total_tokens,
      tokensEstimated: false
    })
    expect(typeof gw?.['durationMs']).toBe('number')
    expect(typeof gw?.['ttfbMs']).toBe('number')
    // The router's line for the same request (the id travels as x-request-id).
    expect(requestLines(router, plain.requestId)).toHaveLength(1)
    expect(requestLines(router, plain.requestId)[0]).toMatchObject({ level: 30, status: 200, provider: 'mock', deployment: 'mock/mock-gpt', attempts: 1 })

    // A stream's line is written when it ends, with the usage of its last chunk.
    const streamed = await chat(stack, `Bearer ${key}`, { model: 'mock-gpt-mini', stream: true, stream_options: { include_usage: true } })
    expect(streamed.status).toBe(200)
    const streamLine = requestLines(gateway, streamed.requestId)
    expect(streamLine).toHaveLength(1)
    expect(streamLine[0]).toMatchObject({ status: 200, provider: 'mock', deployment: 'mock/mock-gpt-mini', tokensEstimated: false })
    expect(streamLine[0]?.['completionTokens']).toBeGreaterThan(0)

    // A fallback: the router's attempts reach the gateway's line.
    const fellBack = await chat(stack, `Bearer ${key}`, { model: 'mock-gpt-fallback' })
    expect(fellBack.status).toBe(200)
    expect(requestLines(gateway, fellBack.requestId)[0]).toMatchObject({ provider: 'mock', attempts: 2 })
    expect(requestLines(router, fellBack.requestId)[0]).toMatchObject({ provider: 'mock', attempts: 2 })

    // A failure names its catalogue code on the line, still at info.
    const refused = await chat(stack, `Bearer ${key}`, { model: 'no-such-model' })
    expect(refused.status).toBe(404)
    expect(requestLines(gateway, refused.requestId)[0]).toMatchObject({ level: 30, status: 404, code: 'MODEL_NOT_FOUND' })
  })

  it('log one provider failure at error level exactly once across both services', async () => {
    const { gateway, router, stack, key } = await loggedStack({ ROUTER_MAX_ATTEMPTS_PER_DEPLOYMENT: '1' })
    stack.mock.enqueue(faults.serverError(500))
    const failed = await chat(stack, `Bearer ${key}`, { model: 'mock-gpt' })
    expect(failed.status).toBeGreaterThanOrEqual(500)
    const errors = [...errorLines(gateway), ...errorLines(router)]
    expect(errors).toHaveLength(1)
    // It is the router's grouped error-tracking line; the gateway relays the failure at info.
    expect(errorLines(router)[0]).toMatchObject({ tracked: 'first' })
    expect(requestLines(gateway, failed.requestId)[0]).toMatchObject({ level: 30, status: failed.status, provider: 'mock', attempts: 1 })
    expect(String(requestLines(gateway, failed.requestId)[0]?.['code'])).toMatch(/^PROVIDER_/)
  })

  it('never write a client key, token or provider key, whatever happens to the request', async () => {
    const { gateway, router, stack, key } = await loggedStack()
    const asked = [
      await chat(stack, `Bearer ${key}`, { model: 'mock-gpt' }),
      await chat(stack, `Bearer ${key}`, { model: 'mock-claude', stream: true }),
      await chat(stack, `Bearer ${key}`, { model: 'mock-gpt-fallback' }), // the revoked provider's 401 echoes a masked key
      await chat(stack, `Bearer ${WRONG_CLIENT_KEY}`, { model: 'mock-gpt' }),
      await chat(stack, WRONG_CLIENT_KEY, { model: 'mock-gpt' })
    ]
    stack.mock.enqueue(faults.serverError(500), faults.serverError(500), faults.serverError(500))
    asked.push(await chat(stack, `Bearer ${key}`, { model: 'mock-gpt' }))
    stack.mock.enqueue(faults.userNotFound())
    asked.push(await chat(stack, `Bearer ${key}`, { model: 'mock-gpt' }))
    expect(asked.map((a) => a.status)).toEqual([200, 200, 200, 401, 401, expect.any(Number), 502])
    // Wrong admin and internal tokens, and the right ones, on their own routes.
    await stack.gateway.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } })
    await stack.gateway.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    await stack.gateway.inject({ method: 'GET', url: '/internal/db', headers: { 'x-internal-token': `${INTERNAL_TOKEN}x` } })
    await request(`${stack.routerUrl}/v1/models`, { headers: { 'x-internal-token': `${INTERNAL_TOKEN}x` } }).then(async (r) => { await r.body.dump() })

    const text = `${gateway.text()}\n${router.text()}`
    expect(gateway.lines.length).toBeGreaterThan(5)
    expect(router.lines.length).toBeGreaterThan(5)
    const secrets = [key, key.slice(-24), OPENAI_KEY, OPENAI_KEY.slice(8, 32), ANTHROPIC_KEY, ANTHROPIC_KEY.slice(14, 36), WRONG_CLIENT_KEY, WRONG_CLIENT_KEY.slice(8, 32), ADMIN_TOKEN, INTERNAL_TOKEN]
    for (const secret of secrets) expect(text, secret).not.toContain(secret)
  })
})
