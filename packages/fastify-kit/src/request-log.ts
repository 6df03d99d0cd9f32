// Replaces Fastify's two lines per request ("incoming request", "request completed") with one
// completion line, written when the response is over (for a stream: when its last byte went out,
// so the service can add the final token counts): method, path, status, duration, time to first
// byte, the model asked for, the catalogue code of a failure, plus whatever the service adds
// (the gateway: key and user ids, tokens; the router: provider, deployment, attempts). Registered
// by every service with `disableRequestLogging: true` (see baseServerOptions).
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errorCodeOf } from './reply-error-code.js'

export type RequestLogValue = string | number | boolean | undefined

/** How the response ended, as the line is written. */
export interface ResponseEnd {
  /** The whole response went out (false: the client left first). */
  finished: boolean
}

export interface RequestLogOptions {
  /**
   * Extra fields for a request's line, read when it completes (e.g. the authenticated key's id).
   * Called only when the line is written (info enabled for the request). A field returned here
   * replaces a built-in one of the same name (e.g. a service that knows a better `code`).
   * Never return a credential or any part of one.
   */
  fields?: (request: FastifyRequest, reply: FastifyReply, end: ResponseEnd) => Record<string, RequestLogValue>
}

/** Client-chosen strings are capped and stripped of control characters before they reach a log. */
const MAX_FIELD_LENGTH = 64

export function printable (value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return clean.length > MAX_FIELD_LENGTH ? `${clean.slice(0, MAX_FIELD_LENGTH)}…` : clean
}

function modelOf (body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const model = (body as { model?: unknown }).model
  return typeof model === 'string' ? printable(model) : undefined
}

/** Not a catalogue code: the client went away before its answer was complete. */
export const CLIENT_DISCONNECTED = 'CLIENT_DISCONNECTED'

const kFirstByte = Symbol('request-log.firstByte')
const kLogged = Symbol('request-log.logged')
interface Stamped { [kFirstByte]?: number, [kLogged]?: boolean }

/** Fields the message does not repeat as key=value (they lead it). */
const leading = new Set(['method', 'path', 'status', 'durationMs'])

function writeLine (request: FastifyRequest, reply: FastifyReply, opts: RequestLogOptions, end: ResponseEnd): void {
  const stamped = request as Stamped
  if (stamped[kLogged] === true) return
  stamped[kLogged] = true
  const res = reply.raw
  // The client left first: no status reached it unless the headers had gone (a stream cut short).
  const abandoned = !end.finished
  const fields: Record<string, string | number | boolean> = {
    method: request.method,
    path: printable(request.url.split('?')[0] ?? request.url),
    status: abandoned && !res.headersSent ? 499 : reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10
  }
  const firstByte = stamped[kFirstByte]
  if (firstByte !== undefined) fields['ttfbMs'] = firstByte
  const model = modelOf(request.body)
  if (model !== undefined) fields['model'] = model
  const code = errorCodeOf(reply) ?? (abandoned ? CLIENT_DISCONNECTED : undefined)
  if (code !== undefined) fields['code'] = code
  const extra = opts.fields?.(request, reply, end) ?? {}
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) fields[key] = typeof value === 'string' ? printable(value) : value
  }
  // The message repeats the fields so a human reads one line in development; the JSON line
  // (production) carries them as properties for queries.
  const tail: string[] = []
  for (const [key, value] of Object.entries(fields)) {
    if (!leading.has(key)) tail.push(`${key}=${String(value)}`)
  }
  const msg = [fields['method'], fields['path'], fields['status'], `${fields['durationMs']}ms`, ...tail].join(' ')
  // Info whatever the outcome: failures carry their `code`; the alert for an upstream failure is
  // the error tracker's grouped line, never one line per request.
  request.log.info(fields, msg)
}

/** pino's isLevelEnabled (FastifyBaseLogger's type leaves it out); a logger without it: assume on. */
function infoEnabled (log: FastifyBaseLogger): boolean {
  const check = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled
  return check === undefined ? true : check.call(log, 'info')
}

async function requestLog (app: FastifyInstance, opts: RequestLogOptions): Promise<void> {
  // All of it is skipped when info is off for the request (LOG_LEVEL=warn, probe routes).
  app.addHook('onRequest', (request, reply, done) => {
    if (!infoEnabled(request.log)) return done()
    // 'finish': the whole response went out (for a stream, its last byte). 'close' without it:
    // the client left first, which onResponse never sees. Either way one line, exactly once.
    reply.raw.once('finish', () => { writeLine(request, reply, opts, { finished: true }) })
    reply.raw.once('close', () => { writeLine(request, reply, opts, { finished: false }) })
    done()
  })
  // Headers going out = the first byte the client gets (for a stream, its first event).
  app.addHook('onSend', (request, reply, payload, done) => {
    const stamped = request as Stamped
    if (stamped[kFirstByte] === undefined && infoEnabled(request.log)) {
      stamped[kFirstByte] = Math.round(reply.elapsedTime * 10) / 10
    }
    done(null, payload)
  })
}

/** One log line per completed request; see RequestLogOptions. */
export const requestLogPlugin = fp(requestLog, { name: 'switchyard-request-log', fastify: '5.x' })
