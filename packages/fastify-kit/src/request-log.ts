// Replaces Fastify's two lines per request ("incoming request", "request completed") with one,
// written when the response has gone out: method, path, status, duration, the model asked for,
// plus whatever the service adds (the gateway adds the API key's id). Registered by every
// service with `disableRequestLogging: true` (see baseServerOptions).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export type RequestLogValue = string | number | boolean | undefined

export interface RequestLogOptions {
  /**
   * Extra fields for a request's line, read when it completes (e.g. the authenticated key's id).
   * Never return a credential or any part of one.
   */
  fields?: (request: FastifyRequest) => Record<string, RequestLogValue>
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

async function requestLog (app: FastifyInstance, opts: RequestLogOptions): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    const extra = opts.fields?.(request) ?? {}
    const fields: Record<string, string | number | boolean> = {
      method: request.method,
      path: printable(request.url.split('?')[0] ?? request.url),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10
    }
    const model = modelOf(request.body)
    if (model !== undefined) fields['model'] = model
    for (const [key, value] of Object.entries(extra)) {
      if (value !== undefined) fields[key] = typeof value === 'string' ? printable(value) : value
    }
    // The message repeats the fields so a human reads one line in development; the JSON line
    // (production) carries them as properties for queries.
    const tail = Object.entries(fields)
      .filter(([key]) => key !== 'method' && key !== 'path' && key !== 'status' && key !== 'durationMs')
      .map(([key, value]) => `${key}=${String(value)}`)
    const msg = [fields['method'], fields['path'], fields['status'], `${fields['durationMs']}ms`, ...tail].join(' ')
    request.log.info(fields, msg)
  })
}

/** One log line per completed request; see RequestLogOptions. */
export const requestLogPlugin = fp(requestLog, { name: 'switchyard-request-log', fastify: '5.x' })
