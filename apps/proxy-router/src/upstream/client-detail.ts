import { SwitchyardError, type ErrorDetails } from '@switchyard/errors'

// How much of an upstream failure a client sees (UPSTREAM_ERROR_DETAIL, docs/adr/0015).
// `cause` (the default): the provider id, the cause class, statuses and codes, deployment ids
// (`provider/model`, the facts x-switchyard-provider and x-switchyard-model state on success).
// `full` (development): also where the provider lives (host, port) and the low-level error text.
// Never a credential in either: the low-level text is that of transport errors only (getaddrinfo,
// connect, TLS), never a provider's response body, which can quote a masked key.

export type UpstreamErrorDetail = 'full' | 'cause'

/** Detail keys only `full` shows. */
const fullOnly = ['host', 'port', 'upstreamError'] as const

/** Where a deployment lives, for `full` detail (from its origin, e.g. http://10.0.0.7:11434). */
export function locationOf (origin: string): { host: string, port: number } {
  const url = new URL(origin)
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port)
  return { host: url.hostname, port }
}

/** `err` as the client may see it at `level` (the same error when nothing is to hide). */
export function forClient (err: SwitchyardError, level: UpstreamErrorDetail): SwitchyardError {
  if (level === 'full' || err.details === undefined || !fullOnly.some((k) => k in (err.details ?? {}))) return err
  const details: ErrorDetails = { ...err.details }
  for (const key of fullOnly) Reflect.deleteProperty(details, key)
  return new SwitchyardError(err.code, { message: err.message, details, headers: err.headers, cause: err.cause, status: err.statusCode })
}
