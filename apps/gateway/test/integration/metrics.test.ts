import { request } from 'undici'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startStack } from '../helpers/stack.js'

function sample (text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1))
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
})
