/**
 * A failure whose message is written by us and safe to publish as is (e.g. "HTTP 503").
 * Probes throw it for answers that arrived but were wrong.
 */
export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure'
}

// Every way our clients say "the deadline passed": the probe's AbortSignal.timeout, undici's own
// connect/headers/body timers, postgres.js connect_timeout, the socket layer.
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'CONNECT_TIMEOUT', 'ETIMEDOUT'])
// System errors (ECONNREFUSED, ECONNRESET, ENOTFOUND, EHOSTUNREACH...) are best reported by code alone.
const errnoCode = /^E[A-Z]+$/
// scheme://user:password@ → scheme://[redacted]@, wherever a client quoted a connection string.
const credentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi
const maxLength = 160

/**
 * Turns whatever a probe threw into the short `error` string of the health report. The report
 * is public to anyone who can reach the service, so messages are redacted, single-line and short.
 */
export function describeProbeError (err: unknown, timeoutMs: number): string {
  if (err instanceof ProbeFailure) return err.message
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown, code?: unknown, message?: unknown }
  const code = typeof e.code === 'string' ? e.code : undefined
  if (e.name === 'TimeoutError' || (code !== undefined && timeoutCodes.has(code))) return `timed out after ${timeoutMs} ms`
  if (code !== undefined && errnoCode.test(code)) return code
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(err)
  const line = (message.split('\n')[0] ?? '').replace(credentials, '$1[redacted]@')
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line
}
