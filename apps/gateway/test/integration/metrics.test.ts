import { faults } from '@switchyard/mock-provider'
import { request } from 'undici'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startStack, type Stack } from '../helpers/stack.js'

function sample (text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1))
}

const scrape = async (url: string | undefined): Promise<string> => await (await request(url ?? '')).body.text()

async function ask (stack: Stack, key: string, body: Record<string, unknown>): Promise<{ status: number, text: string }> {
  const res = await request(`${stack.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body })
  })
  return { status: res.statusCode, text: await res.body.text() }
}

describe('gateway metrics on METRICS_PORT', () => {
  it('count requests by route and status and expose the usage writer figures, with no key anywhere', async () => {
    const stack = await startStack({ backend: 'pglite', gatewayEnv: { METRICS_PORT: '0', HOST: '127.0.0.1' } })
    onTestFinished(stack.close)
    const { key } = await stack.createKey('metrics')
    for (let i = 0; i < 3; i++) {
      const res = await request(`${stack.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] })
      })
      expect(res.statusCode).toBe(200)
      await res.body.dump()
    }
    await stack.gateway.usage.flush()
    const text = await (await request(stack.gateway.metrics.url ?? '')).body.text()
    expect(sample(text, 'switchyard_http_requests_total', { route: '/v1/chat/completions', status: '200' })).toBe(3)
    expect(sample(text, 'switchyard_usage_events_written_total')).toBe(3)
    expect(sample(text, 'switchyard_usage_events_dropped_total')).toBe(0)
    expect(sample(text, 'switchyard_usage_events_queued')).toBe(0)
    expect(text).not.toContain(key)
  })

  it('count tokens by the routing table\'s model as answers succeed, stream, fail and fall back, with the router\'s figures beside them', async () => {
    const stack = await startStack({ backend: 'pglite', revokedProvider: true, gatewayEnv: { METRICS_PORT: '0', HOST: '127.0.0.1' }, routerEnv: { METRICS_PORT: '0', HOST: '127.0.0.1' } })
    onTestFinished(stack.close)
    const { key } = await stack.createKey('tokens')

    const plain = await ask(stack, key, { model: 'mock-gpt' })
    expect(plain.status).toBe(200)
    const usage = (JSON.parse(plain.text) as { usage: { prompt_tokens: number, completion_tokens: number } }).usage
    let text = await scrape(stack.gateway.metrics.url)
    expect(sample(text, 'switchyard_tokens_total', { model: 'mock-gpt', type: 'prompt' })).toBe(usage.prompt_tokens)
    expect(sample(text, 'switchyard_tokens_total', { model: 'mock-gpt', type: 'completion' })).toBe(usage.completion_tokens)

    // A stream: its tokens count when it ends, with the usage its last chunk reported.
    const streamed = await ask(stack, key, { model: 'mock-gpt-mini', stream: true, stream_options: { include_usage: true } })
    expect(streamed.status).toBe(200)
    text = await scrape(stack.gateway.metrics.url)
    expect(sample(text, 'switchyard_tokens_total', { model: 'mock-gpt-mini', type: 'completion' })).toBeGreaterThan(0)

    // Falls back from the revoked provider (401) to the mock (before the failures below put
    // the mock's deployment into its cooldown).
    expect((await ask(stack, key, { model: 'mock-gpt-fallback' })).status).toBe(200)
    // The provider fails (500s, then 401): nothing billed, the router counts the failures.
    stack.mock.enqueue(faults.serverError(500), faults.serverError(500), faults.serverError(500))
    expect((await ask(stack, key, { model: 'mock-gpt' })).status).toBeGreaterThanOrEqual(500)
    stack.mock.enqueue(faults.userNotFound())
    expect((await ask(stack, key, { model: 'mock-gpt' })).status).toBe(502)

    text = await scrape(stack.gateway.metrics.url)
    expect(sample(text, 'switchyard_http_requests_total', { route: '/v1/chat/completions', status: '502', code: 'PROVIDER_AUTH_FAILED' })).toBe(1)
    expect(text).not.toContain('model="mock-gpt-fallback"') // an alias, not the table's model of the deployment
    expect(text).not.toContain(key)

    const router = await scrape(stack.router.metrics.url)
    expect(sample(router, 'switchyard_upstream_requests_total', { provider: 'mock', outcome: 'served' })).toBe(3)
    expect(sample(router, 'switchyard_upstream_errors_total', { provider: 'mock', code: 'PROVIDER_AUTH_FAILED' })).toBe(1)
    expect(sample(router, 'switchyard_upstream_errors_total', { provider: 'mock-revoked', code: 'PROVIDER_AUTH_FAILED' })).toBe(1)
    expect(sample(router, 'switchyard_upstream_fallbacks_total', { from_provider: 'mock-revoked', to_provider: 'mock' })).toBe(1)
    expect(sample(router, 'switchyard_upstream_retries_total', { provider: 'mock' })).toBeGreaterThanOrEqual(1)
    expect(sample(router, 'switchyard_upstream_ttfb_seconds_count', { provider: 'mock', model: 'mock-gpt', status: '500' })).toBeGreaterThanOrEqual(1)
    expect(sample(router, 'switchyard_upstream_duration_seconds_count', { provider: 'mock', model: 'mock-gpt-mini', status: '200' })).toBe(1)
    expect(sample(router, 'switchyard_upstream_pool_connected', { provider: 'mock+mock-anthropic' })).toBeGreaterThanOrEqual(1)
    expect(sample(router, 'switchyard_upstream_pool_pending', { provider: 'mock-revoked' })).toBe(0)
  })

  it('count a 429 from the request-rate limit as a refusal of kind request_rate', async () => {
    const stack = await startStack({ backend: 'pglite', gatewayEnv: { METRICS_PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' } })
    onTestFinished(stack.close)
    const { key } = await stack.createKey('refused')
    let text = await scrape(stack.gateway.metrics.url)
    expect(sample(text, 'switchyard_refusals_total', { kind: 'request_rate' })).toBe(0)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await ask(stack, key, { model: 'mock-gpt' })).status)
    expect(statuses).toEqual([200, 200, 429])
    text = await scrape(stack.gateway.metrics.url)
    expect(sample(text, 'switchyard_refusals_total', { kind: 'request_rate' })).toBe(1)
    expect(sample(text, 'switchyard_refusals_total', { kind: 'tokens_per_minute' })).toBe(0)
  })
})
