// `pnpm bench`: what the gateway + proxy-router hop costs on top of the provider, on this machine.
// Starts the whole path on 127.0.0.1 (mock provider → router → gateway on embedded PGlite),
// sends a bounded number of completions directly to the mock and through the gateway, and prints
// latency percentiles, throughput and memory. Bounded in count; stops by itself.
import { Agent, request } from 'undici'
import { infraFor } from '@switchyard/testing'
import { createLimitedKey } from '../test/helpers/limited-key.js'
import { startStack } from '../test/helpers/stack.js'

const SEQUENTIAL = Number(process.env['BENCH_SEQUENTIAL'] ?? 500)
const CONCURRENT = Number(process.env['BENCH_CONCURRENT'] ?? 2000)
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16)

const body = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'benchmark me please' }] })

function pct (sorted: number[], p: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(2)
}

async function run (label: string, url: string, headers: Record<string, string>, total: number, concurrency: number): Promise<void> {
  const agent = new Agent({ connections: concurrency })
  const times: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++
      const t0 = performance.now()
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, dispatcher: agent })
      await res.body.text()
      if (res.statusCode !== 200) throw new Error(`${label}: HTTP ${res.statusCode}`)
      times.push(performance.now() - t0)
    }
  }))
  const seconds = (performance.now() - started) / 1000
  await agent.close()
  times.sort((a, b) => a - b)
  console.log(`${label.padEnd(34)} n=${String(total).padStart(5)} c=${String(concurrency).padStart(2)}  p50=${pct(times, 0.5)}ms p95=${pct(times, 0.95)}ms p99=${pct(times, 0.99)}ms  ${(total / seconds).toFixed(0)} req/s`)
}

// Postgres + Redis when this machine has them (as production), else embedded PGlite.
const backend = process.env['BENCH_BACKEND'] === 'pglite' ? 'pglite' : (await infraFor('bench', ['postgres', 'redis'])).ok ? 'postgres' : 'pglite'
console.log(`backend: ${backend}`)
// The limit is not what is measured here.
const stack = await startStack({ backend, gatewayEnv: { RATE_LIMIT_MAX: '1000000' } })
try {
  const { key } = await stack.createKey('bench')
  const auth = { authorization: `Bearer ${key}` }
  const direct = `${stack.mock.baseUrl}/chat/completions`
  const viaGateway = `${stack.gatewayUrl}/v1/chat/completions`
  await run('warm-up (gateway)', viaGateway, auth, 200, 4)
  await run('provider directly, sequential', direct, {}, SEQUENTIAL, 1)
  await run('through gateway+router, sequential', viaGateway, auth, SEQUENTIAL, 1)
  await run('provider directly, concurrent', direct, {}, CONCURRENT, CONCURRENCY)
  await run('through gateway+router, concurrent', viaGateway, auth, CONCURRENT, CONCURRENCY)
  // A key on a plan with every limit (never reached): request count + token reservation + settle.
  const metered = await createLimitedKey(stack.db, { plan: { monthlyTokenQuota: 1e12, requestsPerMinute: 1e9, tokensPerMinute: 2e9 } })
  await run('same, key under quota + TPM limits', viaGateway, { authorization: `Bearer ${metered.key}` }, CONCURRENT, CONCURRENCY)
  await stack.gateway.usage.flush()
  const mem = process.memoryUsage()
  console.log(`memory (all four servers in this process): rss=${(mem.rss / 2 ** 20).toFixed(0)} MiB heapUsed=${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`)
  console.log(`connections: provider saw ${stack.mock.stats.connections}, for ${stack.mock.stats.requests} requests`)
} finally {
  await stack.close()
}
