import type { DestinationStream, LoggerOptions } from 'pino'

export type { DestinationStream }

export interface LoggerSettings {
  service: string
  version: string
  level: string
  /** Human-readable output; defaults to "stdout is a terminal". Needs pino-pretty installed. */
  pretty?: boolean
  /** Where lines go instead of stdout (tests read them to prove what is and is not logged). */
  stream?: DestinationStream
}

/**
 * Paths pino blanks out before a line is written. Keys must never reach logs: client keys,
 * the admin and internal tokens, and provider credentials (bracket syntax for hyphenated headers).
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-internal-token"]',
  'req.headers["api-key"]',
  'req.headers["x-goog-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-internal-token"]',
  '*.apiKey',
  '*.api_key',
  '*.adminToken',
  '*.internalToken',
  '*.password'
]

/**
 * Development output: one line per event. The request line's fields are already in its message
 * (fastify-kit requestLogPlugin), so they are not repeated; the request id leads the line; any
 * other fields follow on the same line; errors keep their multi-line stack.
 */
const prettyOptions = {
  translateTime: 'HH:MM:ss.l',
  singleLine: true,
  ignore: 'pid,hostname,version,service,reqId,method,path,status,durationMs,model,keyId',
  messageFormat: '{if reqId}[{reqId}] {end}{msg}'
}

/** Pino options for Fastify's `logger` option (Fastify v5 takes options, not an instance). */
export function buildLoggerOptions (settings: LoggerSettings): LoggerOptions & { stream?: DestinationStream } {
  const pretty = settings.stream === undefined && (settings.pretty ?? process.stdout.isTTY)
  return {
    level: settings.level,
    base: { service: settings.service, version: settings.version },
    redact: { paths: redactPaths, censor: '[redacted]' },
    ...(settings.stream === undefined ? {} : { stream: settings.stream }),
    ...(pretty ? { transport: { target: 'pino-pretty', options: prettyOptions } } : {})
  }
}
