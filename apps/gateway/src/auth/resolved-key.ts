import type { LimitName, LimitOverrides } from '@switchyard/db/schema'

/** A limit: a number, or null for unlimited. */
export type Limits = Record<LimitName, number | null>

/** What authentication and throttling need to know about a key: small, so it caches well. */
export interface ResolvedKey {
  id: string
  /** Never null: keys without a user belong to the default user. */
  userId: string
  name: string
  planName: string
  revoked: boolean
  /** Epoch ms, null = never expires. */
  expiresAt: number | null
  /** Model aliases the key may call; null = every model. */
  allowedModels: readonly string[] | null
  /** Plan ← user overrides ← key overrides: what this key may do. */
  limits: Limits
  /** The user's own monthly quota (plan ← user overrides), counted over all of the user's keys. */
  userMonthlyQuota: number | null
  /**
   * How the key relates to the user's monthly quota: `inherit` (only the user's bucket applies),
   * `own` (its own bucket too, `limits.monthlyTokenQuota`), or `unlimited` (explicitly exempt;
   * its usage still counts towards the user's total).
   */
  keyQuota: 'inherit' | 'own' | 'unlimited'
}

function override (overrides: LimitOverrides, name: LimitName): { set: boolean, value: number | null } {
  if (!Object.hasOwn(overrides, name)) return { set: false, value: null }
  const value = overrides[name]
  return { set: true, value: typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null }
}

/**
 * The effective limits of a key from its plan and the user's and key's overrides (absent = inherit,
 * null = unlimited, number = limit; see packages/db README "Data model").
 */
export function effectiveLimits (plan: Limits, userOverrides: LimitOverrides, keyOverrides: LimitOverrides): Pick<ResolvedKey, 'limits' | 'userMonthlyQuota' | 'keyQuota'> {
  const limits = { ...plan }
  for (const name of Object.keys(plan) as LimitName[]) {
    const u = override(userOverrides, name)
    if (u.set) limits[name] = u.value
  }
  const userMonthlyQuota = limits.monthlyTokenQuota
  for (const name of Object.keys(plan) as LimitName[]) {
    const k = override(keyOverrides, name)
    if (k.set) limits[name] = k.value
  }
  const k = override(keyOverrides, 'monthlyTokenQuota')
  const keyQuota = !k.set ? 'inherit' : k.value === null ? 'unlimited' : 'own'
  return { limits, userMonthlyQuota, keyQuota }
}
