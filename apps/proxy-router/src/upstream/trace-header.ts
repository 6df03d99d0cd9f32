// The `x-switchyard-trace` response header: every attempt the loop made for a request, for the
// gateway to store on the usage row (GET /v1/requests/{id}). Internal: the gateway strips it.
//
// Format (version 1), compact JSON, ASCII only:
//   [[deployment, provider, outcome, upstreamStatus, code, durationMs], ...]
// outcome: "s" served, "f" failed, "c" skipped because cooling down; upstreamStatus: the
// provider's HTTP status or null (transport failure, skipped); code: the catalogue code of a
// failure or null; durationMs: the attempt's call (a served stream: until its first content,
// which is when the loop counts it as served). At most `maxTraceAttempts` entries: past that
// the first ones and the last (the one that decided the answer) are kept, so the header stays a
// few KB at worst.

export type TraceOutcome = 's' | 'f' | 'c'

export interface TraceAttempt {
  deployment: string
  provider: string
  outcome: TraceOutcome
  upstreamStatus: number | null
  code: string | null
  durationMs: number
}

export const TRACE_HEADER = 'x-switchyard-trace'
export const maxTraceAttempts = 16
/** Ids come from the routing table (any non-space text): capped so one cannot blow the header up. */
const maxIdLength = 100

/** Escapes what JSON.stringify leaves outside printable ASCII (DEL and non-ASCII) as \uXXXX. */
function asciiJson (value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function kept (attempts: readonly TraceAttempt[]): readonly TraceAttempt[] {
  if (attempts.length <= maxTraceAttempts) return attempts
  return [...attempts.slice(0, maxTraceAttempts - 1), attempts[attempts.length - 1]!]
}

/** The header value for `attempts` (in the order they were made). */
export function encodeTrace (attempts: readonly TraceAttempt[]): string {
  return asciiJson(kept(attempts).map((a) => [
    a.deployment.slice(0, maxIdLength),
    a.provider.slice(0, maxIdLength),
    a.outcome,
    a.upstreamStatus,
    a.code,
    Math.max(0, Math.round(a.durationMs))
  ]))
}
