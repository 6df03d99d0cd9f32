import type { ServerResponse } from 'node:http'
import { closedSignal, pause, untilAborted, writeFlushed } from './response-lifecycle.js'

/** How a stream misbehaves, if at all (derived from the request's fault; see faults/fault.ts). */
export interface StreamPlan {
  /** Wait between two events (not before the first). */
  chunkDelayMs: number
  /** After this many events (all of them, if fewer), go silent until the connection closes. */
  stallAfter?: number
  /** After this many events (all of them, if fewer), destroy the socket. */
  dropAfter?: number
  /** After this many events (before the final one, if fewer), send `errorEvent` and end the response. */
  errorAfter?: number
  /** A complete SSE event (`...\n\n`) in the route's protocol. */
  errorEvent?: string
}

/**
 * Sends `chunks` as Server-Sent Events exactly as OpenAI does (`data: <json>\n\n`, then
 * `data: [DONE]\n\n`) on a raw (hijacked) response. Headers are flushed at once, so a client sees
 * the 200 before the first chunk — and a stall after 0 chunks is "headers, then silence".
 * Resolves when the stream ended, was cut, or (for a stall) when the connection is gone.
 */
export async function sendEventStream (
  res: ServerResponse,
  headers: Readonly<Record<string, string | number | string[] | undefined>>,
  chunks: readonly unknown[],
  plan: StreamPlan
): Promise<void> {
  const events = [...chunks.map((chunk) => JSON.stringify(chunk)), '[DONE]'].map((data) => `data: ${data}\n\n`)
  await sendSseEvents(res, headers, events, plan)
}

/**
 * Sends already-framed SSE events (each a complete `...\n\n` block: Anthropic names its events,
 * OpenAI does not) with the same flushing and misbehaviour as sendEventStream.
 */
export async function sendSseEvents (
  res: ServerResponse,
  headers: Readonly<Record<string, string | number | string[] | undefined>>,
  events: readonly string[],
  plan: StreamPlan
): Promise<void> {
  const signal = closedSignal(res)
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value)
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  res.flushHeaders()
  // A fault past the end still fires after the last event: the response never ends properly.
  const at = (n: number | undefined) => n === undefined ? undefined : Math.min(n, events.length)
  const dropAt = at(plan.dropAfter)
  const stallAt = at(plan.stallAfter)
  // An error replaces the stream's ending: at most up to its last event, never after [DONE].
  const errorAt = plan.errorAfter === undefined ? undefined : Math.min(plan.errorAfter, events.length - 1)
  for (let sent = 0; ; sent++) {
    if (sent === dropAt) {
      res.socket?.destroy()
      return
    }
    if (sent === errorAt && plan.errorEvent !== undefined) {
      if (await writeFlushed(res, plan.errorEvent, signal)) res.end()
      return
    }
    if (sent === stallAt) {
      await untilAborted(signal)
      return
    }
    const event = events[sent]
    if (event === undefined) break
    if (sent > 0 && plan.chunkDelayMs > 0 && !(await pause(plan.chunkDelayMs, signal))) return
    if (!(await writeFlushed(res, event, signal))) return
  }
  res.end()
}
