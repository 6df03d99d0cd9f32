import type { ErrorEvent } from '@sentry/node'

// Last line of defence before anything leaves for Sentry. We only send events we build ourselves
// (message, fingerprint, primitive tags, counts), never requests, bodies or headers; this strips
// whatever the SDK or a careless caller might still add.

const secretName = /authorization|api[-_]?key|token|secret|password|cookie|dsn/i
const secretValue = /\b(bearer\s+\S+|sk-[A-Za-z0-9_-]{6,}|[A-Za-z0-9_-]*(key|token)=\S+)/gi
const REDACTED = '[redacted]'

export function scrubText (text: string): string {
  return text.replace(secretValue, REDACTED)
}

function scrubRecord<T> (record: Record<string, T> | undefined): Record<string, T | string> | undefined {
  if (record === undefined) return undefined
  const out: Record<string, T | string> = {}
  for (const [name, value] of Object.entries(record)) {
    out[name] = secretName.test(name) ? REDACTED : typeof value === 'string' ? scrubText(value) : value
  }
  return out
}

/** Sentry `beforeSend`: no request, user or breadcrumbs; secret-looking names and values blanked. */
export function scrubEvent (event: ErrorEvent): ErrorEvent {
  delete event.request
  delete event.user
  delete event.breadcrumbs
  if (event.message !== undefined) event.message = scrubText(event.message)
  const tags = scrubRecord(event.tags)
  if (tags !== undefined) event.tags = tags
  const extra = scrubRecord(event.extra)
  if (extra !== undefined) event.extra = extra
  return event
}
