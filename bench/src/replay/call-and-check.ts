import type { Pool } from 'undici'
import type { ExpectedCall } from './pattern.js'

export interface CallOutcome {
  ok: boolean
  /** Why it failed: status and body, the wrong usage, or the transport error. */
  error?: string
  /** ms from sending to the response headers. */
  headersMs: number
  /** ms from sending to the end of the answer. */
  totalMs: number
}

interface Usage { prompt_tokens?: number, completion_tokens?: number }

/** The usage of a stream: the last `data:` event before `[DONE]` (asked for with include_usage). */
function streamUsage (text: string): { usage: Usage | undefined, done: boolean } {
  const events = text.split('\n\n').map((e) => e.trim()).filter((e) => e.startsWith('data: ')).map((e) => e.slice(6))
  const done = events.at(-1) === '[DONE]'
  const last = events.at(done ? -2 : -1)
  try {
    return { usage: (JSON.parse(last ?? '{}') as { usage?: Usage }).usage, done }
  } catch {
    return { usage: undefined, done }
  }
}

/** Sends one call through `pool` and checks the answer is a 200 whose usage is the expected one. */
export async function callAndCheck (pool: Pool, path: string, headers: Record<string, string>, call: ExpectedCall): Promise<CallOutcome> {
  const sentAt = performance.now()
  let headersMs = Number.NaN
  try {
    const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: call.body })
    headersMs = performance.now() - sentAt
    const text = await res.body.text()
    const totalMs = performance.now() - sentAt
    if (res.statusCode !== 200) return { ok: false, error: `HTTP ${res.statusCode}: ${text.slice(0, 300)}`, headersMs, totalMs }
    let usage: Usage | undefined
    if (call.stream) {
      const parsed = streamUsage(text)
      if (!parsed.done) return { ok: false, error: `stream ended without [DONE]: …${text.slice(-200)}`, headersMs, totalMs }
      usage = parsed.usage
    } else {
      usage = (JSON.parse(text) as { usage?: Usage }).usage
    }
    if (usage?.prompt_tokens !== call.promptTokens || usage.completion_tokens !== call.completionTokens) {
      return { ok: false, error: `usage ${usage?.prompt_tokens}/${usage?.completion_tokens}, expected ${call.promptTokens}/${call.completionTokens}`, headersMs, totalMs }
    }
    return { ok: true, headersMs, totalMs }
  } catch (err) {
    return { ok: false, error: String(err), headersMs, totalMs: performance.now() - sentAt }
  }
}
