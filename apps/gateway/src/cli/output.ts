import type { ApiKeyView } from '../schemas/api-key.js'
import type { PlanView } from '../schemas/plan.js'
import type { UserView } from '../schemas/user.js'

type Row = Record<string, string>

/** Plain aligned columns, one row per line: readable, and easy to grep or cut. */
export function table (rows: Row[]): string {
  const first = rows[0]
  if (first === undefined) return '(none)'
  const columns = Object.keys(first)
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n')
}

const limit = (value: number | null | undefined): string => value === undefined ? 'inherit' : value === null ? 'unlimited' : String(value)

/** Overrides in one cell: only those that are set, e.g. "rpm=60 tpm=unlimited". */
function overrides (limits: UserView['limits']): string {
  const parts: string[] = []
  if (limits.monthly_token_quota !== undefined) parts.push(`monthly=${limit(limits.monthly_token_quota)}`)
  if (limits.requests_per_minute !== undefined) parts.push(`rpm=${limit(limits.requests_per_minute)}`)
  if (limits.tokens_per_minute !== undefined) parts.push(`tpm=${limit(limits.tokens_per_minute)}`)
  return parts.length === 0 ? '-' : parts.join(' ')
}

export const planRow = (p: PlanView): Row => ({
  name: p.name,
  id: p.id,
  monthly_tokens: limit(p.limits.monthly_token_quota),
  requests_per_min: limit(p.limits.requests_per_minute),
  tokens_per_min: limit(p.limits.tokens_per_minute)
})

export const userRow = (u: UserView): Row => ({
  id: u.id,
  name: u.name,
  email: u.email ?? '-',
  plan: u.plan.name,
  overrides: overrides(u.limits)
})

function keyStatus (k: ApiKeyView, now: number): string {
  if (k.revoked_at !== null) return 'revoked'
  if (k.expires_at !== null && Date.parse(k.expires_at) <= now) return 'expired'
  return 'active'
}

export const keyRow = (k: ApiKeyView, now = Date.now()): Row => ({
  id: k.id,
  name: k.name,
  prefix: `${k.key_prefix}…`,
  user: k.user_id ?? 'default',
  status: keyStatus(k, now),
  expires: k.expires_at ?? 'never',
  models: k.allowed_models?.join(',') ?? 'all',
  overrides: overrides(k.limits)
})
