import { Readable } from 'node:stream'
import { SwitchyardError } from '@switchyard/errors'
import { frameEnd } from '@switchyard/sse'
import type { ProviderAdapter } from '../providers/types.js'
import { classifyTransportError } from './classify.js'

// A stream's preamble is held until its first content (docs/adr/0013): the role chunk and SSE
// comments are not content, so an error event or a close before any content is still a failed
// attempt that can be retried or fall back, and the client sees one clean stream.

interface ChunkShape {
  error?: unknown
  usage?: unknown
  choices?: Array<{ finish_reason?: unknown, delta?: Record<string, unknown> }>
}

/** Bytes held while waiting for the first content (the SSE relay's own limit for one event). */
const maxPreambleBytes = 1024 * 1024

const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)

/** Delta fields that carry something the client must receive (role alone does not). */
const contentFields = ['content', 'tool_calls', 'function_call', 'refusal', 'reasoning_content', 'reasoning', 'audio']

export type EventKind = 'preamble' | 'content' | { error: string }

const lineBreak = /[\r\n]/
/**
 * A non-empty `"content":"…"` pair, written compactly as providers do. In JSON text a quote
 * inside a string is always escaped, so these bytes can only be a real key and its value.
 */
const compactContent = /"content":"[^"]/
const onlyLineBreaks = /^[\r\n]*$/

/** An event's data: its `data:` lines' values joined by newlines ('' for a comment). */
function eventData (event: string): string {
  // The usual event is one `data:` line and the blank line that ends it: no split (judged on
  // every stream until its first content).
  if (event.startsWith('data:')) {
    const end = event.search(lineBreak)
    if (end === -1) return event.slice(5).trimStart()
    if (onlyLineBreaks.test(event.slice(end))) return event.slice(5, end).trimStart()
  }
  return event.split(/\r?\n|\r/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n')
}

/** What one SSE event is: preamble (comment, role chunk), content, or an error event (its JSON). */
export function eventKind (event: string): EventKind {
  const data = eventData(event)
  if (data === '') return 'preamble'
  if (data === '[DONE]') return 'content'
  // The usual content chunk is judged without parsing it (this runs on the stream's path to its
  // first byte); anything that might be an error, or is written otherwise, is parsed.
  if (compactContent.test(data) && !data.includes('"error"')) return 'content'
  let chunk: ChunkShape
  try {
    chunk = JSON.parse(data) as ChunkShape
  } catch {
    return 'content' // not ours to judge: pass it on as the provider sent it
  }
  if (typeof chunk !== 'object' || chunk === null) return 'content'
  if (chunk.error !== undefined && chunk.error !== null) return { error: data }
  if (nonEmpty(chunk.usage)) return 'content'
  for (const choice of chunk.choices ?? []) {
    if (nonEmpty(choice.finish_reason)) return 'content'
    if (contentFields.some((f) => nonEmpty(choice.delta?.[f]))) return 'content'
  }
  return 'preamble'
}

export interface FirstContentContext {
  provider: string
  status: number
  adapter: ProviderAdapter
  signal: AbortSignal
}

/** A stream past its first content: the bytes read so far, and the body paused after them. */
export interface FirstContent {
  /** Everything read until the first content, that included: the client receives it first. */
  held: Buffer
  body: Readable
}

/**
 * Reads `body` until its first content event and resolves with what was read and the body,
 * paused: the relay sends the held bytes first and then reads on (relayInto with `held`), in one
 * stream stage. Rejects with a SwitchyardError for an error event or a close before content
 * (destroying the body: its connection is not reused), with the transport's classified error, or
 * with the abort reason.
 */
export async function awaitFirstContent (body: Readable, ctx: FirstContentContext): Promise<FirstContent> {
  return await new Promise<FirstContent>((resolve, reject) => {
    let held: Buffer = Buffer.alloc(0)
    let scanned = 0
    const done = (err?: unknown): void => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onError)
      ctx.signal.removeEventListener('abort', onAbort)
      if (err === undefined) {
        body.pause()
        resolve({ held, body })
      } else {
        body.destroy()
        reject(err)
      }
    }
    const onData = (chunk: Buffer): void => {
      held = held.length === 0 ? chunk : Buffer.concat([held, chunk])
      // A preamble this large is no preamble: stop judging and relay it as the provider sent it.
      if (held.length > maxPreambleBytes) { done(); return }
      // Judge each complete event (frame) once, in order; an unfinished one waits for more bytes.
      for (let end = frameEnd(held, scanned); end !== -1; end = frameEnd(held, scanned)) {
        const event = held.subarray(scanned, end).toString('utf8')
        scanned = end
        const kind = eventKind(event)
        if (kind === 'preamble') continue
        if (kind === 'content') { done(); return }
        const info = ctx.adapter.parseError(kind.error)
        done(new SwitchyardError('PROVIDER_UNAVAILABLE', {
          details: { provider: ctx.provider, providerStatus: ctx.status, cause: 'error_event_before_content', ...(info.code === undefined ? {} : { providerCode: info.code }) },
          cause: new Error(`provider "${ctx.provider}" sent an error event before any content: ${kind.error.slice(0, 1000)}`)
        }))
        return
      }
    }
    const onEnd = (): void => {
      done(new SwitchyardError('PROVIDER_BAD_RESPONSE', {
        details: { provider: ctx.provider, providerStatus: ctx.status, cause: 'closed_before_content' },
        cause: new Error(`provider "${ctx.provider}" ended the stream before any content`)
      }))
    }
    const onError = (err: unknown): void => {
      done(ctx.signal.aborted ? ctx.signal.reason : classifyTransportError(ctx.provider, err, ctx.status))
    }
    const onAbort = (): void => done(ctx.signal.reason)
    // An error after we stopped listening (a destroyed body, one the relay has not taken over
    // yet) must not crash the process; the relay reads `errored` when it takes over.
    body.on('error', () => {})
    if (ctx.signal.aborted) { onAbort(); return }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('error', onError)
  })
}
