import { destination, type DestinationStream, type LoggerOptions } from 'pino'

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

const secretHeaders = ['authorization', 'proxy-authorization', 'cookie', '"x-api-key"', '"x-internal-token"', '"x-admin-token"', '"api-key"', '"x-goog-api-key"']

/**
 * Objects that get logged whole and may carry a credential one level down: requests and
 * responses, errors and their causes, HTTP clients' config, provider and routing settings.
 * Listed by name, never as `*`: with a path that starts with a wildcard, pino runs the redactor
 * over every field of every line and every child logger's bindings (measured on this machine:
 * 141 µs per request log line and 9 µs per request's child logger, against 6 µs and under 3 µs
 * with named holders), which made the log the most expensive part of a request. Nor are names that
 * request lines use for plain strings (`provider`, `deployment`, `model`): a holder's redactor runs
 * on its field in every line that has one.
 */
const secretHolders = ['req', 'request', 'res', 'response', 'err', 'error', 'cause', 'config', 'options', 'opts', 'settings', 'env', 'body', 'details', 'providers', 'routes', 'auth', 'credentials', 'client', 'upstream']

/**
 * Where a header object turns up in a log line: bare, one level down (`req.headers`,
 * `err.headers`: undici's ResponseError and RequestRetryError carry them), and deeper inside errors
 * (HTTP clients' `err.config` / `err.request`, a wrapped cause).
 */
const headerHolders = ['headers', ...secretHolders.map((holder) => `${holder}.headers`), 'err.cause.headers', 'err.config.headers', 'err.request.headers', 'err.response.headers', 'err.options.headers', 'err.opts.headers']
/** Secret-carrying property names: at the top level and inside every holder above. */
const secretProperties = ['apiKey', 'api_key', 'adminToken', 'admin_token', 'internalToken', 'internal_token', 'healthToken', 'providerKey', 'password', 'authorization', 'Authorization']

const headerPath = (holder: string, header: string): string => header.startsWith('"') ? `${holder}[${header}]` : `${holder}.${header}`

/**
 * Paths pino blanks out before a line is written. Keys must never reach logs: client keys,
 * the admin, internal and health tokens, and provider credentials: in request headers, in the
 * headers an error carries (undici's errors and HTTP clients' `err.config` / `err.request`), and
 * under property names that hold one. Bracket syntax for hyphenated headers (pino redaction.md).
 * Axios-style clients capitalise `Authorization` in `config.headers`, hence both spellings there.
 */
export const redactPaths: readonly string[] = [
  ...headerHolders.flatMap((holder) => secretHeaders.map((header) => headerPath(holder, header))),
  'err.config.headers.Authorization',
  'err.request.headers.Authorization',
  ...secretProperties.flatMap((name) => [name, ...secretHolders.map((holder) => `${holder}.${name}`)])
]

/**
 * Development output: one line per event. The request line's fields are already in its message
 * (fastify-kit requestLogPlugin), so they are not repeated; the request id leads the line; any
 * other fields follow on the same line; errors keep their multi-line stack.
 */
const prettyOptions = {
  translateTime: 'HH:MM:ss.l',
  singleLine: true,
  ignore: 'pid,hostname,version,service,reqId,method,path,status,durationMs,ttfbMs,model,code,keyId,userId,provider,deployment,attempts,promptTokens,completionTokens,totalTokens,tokensEstimated',
  messageFormat: '{if reqId}[{reqId}] {end}{msg}'
}

let stdoutDestination: DestinationStream | undefined

/**
 * Standard output, buffered: lines collect in memory and go out in one write(2) once 8 KiB have
 * gathered, or every 100 ms, whichever comes first (at info, one synchronous write per request
 * line cost more CPU than building the line). What is buffered is written synchronously on exit,
 * an uncaught exception included; what runs no exit handler (SIGKILL, a V8 fatal error such as
 * running out of heap, process.abort()) loses up to the last 100 ms. One per process: every
 * logger of the process shares it. See docs/adr/0028.
 */
export function stdoutLogDestination (): DestinationStream {
  if (stdoutDestination === undefined) {
    const dest = destination({ dest: 1, sync: true, minLength: 8192 })
    // sonic-boom's flush writes even an empty buffer: only flush after lines were written, so an
    // idle service makes no write(2) every 100 ms.
    let written = false
    const write = dest.write.bind(dest)
    const noteWrite = (data: string): boolean => { written = true; return write(data) }
    dest.write = noteWrite
    setInterval(() => {
      if (!written) return
      written = false
      dest.flush()
    }, 100).unref()
    process.once('exit', () => { dest.flushSync() })
    stdoutDestination = dest
  }
  return stdoutDestination
}

/** Pino options for Fastify's `logger` option (Fastify v5 takes options, not an instance). */
export function buildLoggerOptions (settings: LoggerSettings): LoggerOptions & { stream?: DestinationStream } {
  const pretty = settings.stream === undefined && (settings.pretty ?? process.stdout.isTTY)
  return {
    level: settings.level,
    base: { service: settings.service, version: settings.version },
    redact: { paths: [...redactPaths], censor: '[redacted]' },
    ...(pretty ? {} : { stream: settings.stream ?? stdoutLogDestination() }),
    ...(pretty ? { transport: { target: 'pino-pretty', options: prettyOptions } } : {})
  }
}
