/**
 * `x-switchyard-usage: <prompt> <completion> <total>` for a whole JSON answer: the router has
 * parsed the provider's answer already, so the gateway reads the usage from this header and
 * relays the body's bytes untouched instead of parsing the JSON a second time.
 * Undefined when the answer reports no usage (the gateway then falls back to reading the body).
 */
export function usageHeader (body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined
  const usage = (body as { usage?: unknown }).usage
  if (usage === null || typeof usage !== 'object') return undefined
  const u = usage as { prompt_tokens?: unknown, completion_tokens?: unknown, total_tokens?: unknown }
  const part = (v: unknown): string => typeof v === 'number' && Number.isFinite(v) && v >= 0 ? String(Math.round(v)) : '-'
  return `${part(u.prompt_tokens)} ${part(u.completion_tokens)} ${part(u.total_tokens)}`
}
