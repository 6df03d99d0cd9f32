import type { UsageAttempt } from '@switchyard/db/schema'
import { sanitizeOptional } from './sanitize.js'

// Reads the router's internal `x-switchyard-trace` header (apps/proxy-router/src/upstream/
// trace-header.ts writes it): compact JSON, one array per attempt,
//   [deployment, provider, outcome "s" | "f" | "c", upstreamStatus | null, code | null, durationMs].
// The router is trusted, but this runs in the accounting hook of every request, so anything
// malformed is dropped rather than stored, and sizes are capped like every other usage column.

export const TRACE_HEADER = 'x-switchyard-trace'
/** The router keeps at most 16; a longer header is not one of ours. */
const maxAttempts = 16
const maxHeaderLength = 8192
const maxTextLength = 100

const outcomes = { s: 'served', f: 'failed', c: 'skipped_cooling_down' } as const

/** Ids as stored anywhere else: no NUL (jsonb refuses it and the batch with it), no controls. */
function text (value: unknown): string | undefined {
  return sanitizeOptional(value, maxTextLength) ?? undefined
}

function whole (value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : undefined
}

function attemptOf (entry: unknown): UsageAttempt | undefined {
  if (!Array.isArray(entry)) return undefined
  const [deploymentRaw, providerRaw, outcomeRaw, statusRaw, codeRaw, msRaw] = entry as unknown[]
  const deployment = text(deploymentRaw)
  const outcome = typeof outcomeRaw === 'string' ? outcomes[outcomeRaw as keyof typeof outcomes] as UsageAttempt['outcome'] : undefined
  if (deployment === undefined || outcome === undefined) return undefined
  const attempt: UsageAttempt = { deployment, outcome }
  const provider = text(providerRaw)
  if (provider !== undefined) attempt.provider = provider
  const status = whole(statusRaw, 999)
  if (status !== undefined) attempt.upstreamStatus = status
  const code = typeof codeRaw === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(codeRaw) ? codeRaw : undefined
  if (code !== undefined) attempt.code = code
  const durationMs = whole(msRaw, 2_147_483_647)
  if (durationMs !== undefined) attempt.durationMs = durationMs
  return attempt
}

/** The attempts of a trace header; undefined when absent or not a trace (never throws). */
export function parseTrace (raw: string | undefined): UsageAttempt[] | undefined {
  if (raw === undefined || raw.length > maxHeaderLength) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed) || parsed.length > maxAttempts) return undefined
  const attempts: UsageAttempt[] = []
  for (const entry of parsed) {
    const attempt = attemptOf(entry)
    if (attempt !== undefined) attempts.push(attempt)
  }
  return attempts
}
