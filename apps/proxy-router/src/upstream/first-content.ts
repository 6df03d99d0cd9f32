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

/**
 * The body again from its first byte: the held bytes, then the rest as it arrives. An error of
 * the body (a transform that met the provider's error event, a reset) is delivered only once
 * every byte before it was read, so the content that preceded a mid-stream failure still reaches
 * the client before the final error event. (Putting the held bytes back into the body with
 * unshift loses them when the body fails before the relay has read them: destroy drops a
 * stream's buffer.)
 */
function resumeFrom (held: Buffer, body: Readable): Readable {
  let failure: { err: unknown } | undefined
  const out = new Readable({
    read () {
      if (failure === undefined) body.resume()
    },
    destroy (err, callback) {
      body.destroy()
      callback(err)
    }
  })
  const deliverFailure = (): void => {
    if (failure === undefined || out.destroyed) return
    if (out.readableLength === 0) out.destroy(failure.err as Error)
    else setImmediate(deliverFailure)
  }
  if (held.length > 0) out.push(held)
  body.on('data', (chunk: Buffer) => { if (!out.push(chunk)) body.pause() })
  body.once('end', () => { out.push(null) })
  body.once('error', (err) => { failure = { err }; deliverFailure() })
  return out
}

/**
 * Reads `body` until its first content event and resolves with the stream to relay: the held
 * preamble and everything after it (resumeFrom). Rejects with a SwitchyardError for an error
 * event or a close before content (destroying the body: its connection is not reused), with the
 * transport's classified error, or with the abort reason.
 */
export async function awaitFirstContent (body: Readable, ctx: FirstContentContext): Promise<Readable> {
  return await new Promise<Readable>((resolve, reject) => {
    let held: Buffer = Buffer.alloc(0)
    let scanned = 0
    const done = (err?: unknown): void => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onError)
      ctx.signal.removeEventListener('abort', onAbort)
      if (err === undefined) {
        body.pause()
        resolve(resumeFrom(held, body))
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
    // An error after we stopped listening (a destroyed body, one the relay has not piped yet)
    // must not crash the process; the relay attaches its own listener when it takes over.
    body.on('error', () => {})
    if (ctx.signal.aborted) { onAbort(); return }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('error', onError)
  })
}
