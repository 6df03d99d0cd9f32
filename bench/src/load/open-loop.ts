import { Pool } from 'undici'
import { completionBody } from './request-body.js'

export interface OpenLoopResult {
  sent: number
  errors: number
  /** Per request, ms: from sending to the whole answer. */
  latencies: number[]
  /** Streams only, ms: from sending to the first `data:` bytes. */
  ttfbs: number[]
  /**
   * Streams only, ms: from sending to the first bytes with content (a non-empty `content` delta):
   * the first word the user sees. The role chunk before it carries none.
   */
  ttfcs: number[]
}

/** A chunk of the mock's stream with a word in it (the role chunk has `"content":""`). */
const hasContent = /"content":"[^"]/

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Fixed-rate load: request i is sent at t0 + i/rate whatever happened to the earlier ones (an
 * open loop, as real traffic arrives), so a slow server is seen as growing latency instead of
 * silently being sent less. Each request is timed with performance.now(). With several sets of
 * headers (several keys), request i sends set i mod their number.
 */
export async function openLoop (url: string, headers: Record<string, string> | Array<Record<string, string>>, rate: number, seconds: number, stream: boolean): Promise<OpenLoopResult> {
  const headerSets = (Array.isArray(headers) ? headers : [headers]).map((h) => ({ 'content-type': 'application/json', ...h }))
  const target = new URL(url)
  const pool = new Pool(target.origin, { connections: 1024, keepAliveTimeout: 30_000, pipelining: 1 })
  const body = completionBody(stream)
  const total = Math.round(rate * seconds)
  const latencies: number[] = []
  const ttfbs: number[] = []
  const ttfcs: number[] = []
  let errors = 0
  const inFlight: Array<Promise<void>> = []

  const one = async (sending: Record<string, string>): Promise<void> => {
    const sentAt = performance.now()
    try {
      const res = await pool.request({ method: 'POST', path: target.pathname, headers: sending, body })
      let first = true
      // Until the first content: what arrived so far (an event may be split across chunks).
      let text: string | undefined = stream ? '' : undefined
      for await (const chunk of res.body) {
        if (first && stream && (chunk as Buffer).includes('data:')) {
          ttfbs.push(performance.now() - sentAt)
          first = false
        }
        if (text !== undefined) {
          text += (chunk as Buffer).toString()
          if (hasContent.test(text)) {
            ttfcs.push(performance.now() - sentAt)
            text = undefined
          }
        }
      }
      if (res.statusCode !== 200) errors++
      else latencies.push(performance.now() - sentAt)
    } catch {
      errors++
    }
  }

  const t0 = performance.now()
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    inFlight.push(one(headerSets[i % headerSets.length]!))
  }
  await Promise.all(inFlight)
  await pool.close()
  return { sent: total, errors, latencies, ttfbs, ttfcs }
}
