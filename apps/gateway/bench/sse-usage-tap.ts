// `pnpm --filter @switchyard/gateway exec tsx bench/sse-usage-tap.ts`: what the SSE usage tap
// costs per chunk, against the obvious alternative of JSON-parsing every chunk to remove
// `"usage": null`. Prints figures only; CPU-bound, no servers. Bounded in count.
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { SseUsageTap } from '../src/usage/sse-usage-tap.js'

const CHUNKS = Number(process.env['BENCH_CHUNKS'] ?? 200_000)

function chunk (i: number): string {
  return `data: {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":{"content":" word${i}"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`
}
const usage = 'data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}\n\n'
const input = Array.from({ length: CHUNKS }, (_, i) => Buffer.from(chunk(i))).concat(Buffer.from(usage), Buffer.from('data: [DONE]\n\n'))

/** The alternative: parse every event, delete the field, serialize again. */
class ParseEveryChunk extends Transform {
  override _transform (buf: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    const text = buf.toString('utf8')
    if (!text.startsWith('data: {')) return cb(null, buf)
    const parsed = JSON.parse(text.slice(6)) as { usage?: unknown, choices: unknown[] }
    if (parsed.usage !== null && parsed.choices.length === 0) return cb()
    delete parsed.usage
    cb(null, `data: ${JSON.stringify(parsed)}\n\n`)
  }
}

async function measure (label: string, make: () => Transform): Promise<void> {
  const t0 = performance.now()
  let bytes = 0
  for await (const out of Readable.from(input).pipe(make())) bytes += (out as Buffer).length
  const ms = performance.now() - t0
  console.log(`${label.padEnd(44)} ${(ms * 1000 / CHUNKS).toFixed(2)} µs/chunk  (${bytes} bytes out)`)
}

for (let round = 0; round < 2; round++) {
  await measure('tap, client asked for usage (bytes as-is)', () => new SseUsageTap({ hideUsage: false }))
  await measure('tap, client did not ask (usage:null cut)', () => new SseUsageTap({ hideUsage: true }))
  await measure('JSON.parse + stringify of every chunk', () => new ParseEveryChunk())
}
