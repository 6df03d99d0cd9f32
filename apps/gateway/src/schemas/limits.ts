import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { LimitName, LimitOverrides } from '@switchyard/db/schema'

/**
 * Limits as the admin API spells them (snake_case) and how they map onto the stored
 * `limit_overrides` JSON (camelCase `LimitName`). Per limit, three states:
 * absent = inherit from the level above (key ← user ← plan), `null` = unlimited, a number = the
 * limit. On PATCH the string `"inherit"` removes an override again (see docs/adr/0017).
 */
export const apiLimitNames = ['monthly_token_quota', 'requests_per_minute', 'tokens_per_minute'] as const
export type ApiLimitName = typeof apiLimitNames[number]

const storedName: Record<ApiLimitName, LimitName> = {
  monthly_token_quota: 'monthlyTokenQuota',
  requests_per_minute: 'requestsPerMinute',
  tokens_per_minute: 'tokensPerMinute'
}

/** The upper bound of each limit: the plan columns are bigint (monthly) and integer (per minute). */
export const limitMaximum: Record<ApiLimitName, number> = {
  monthly_token_quota: 1e15,
  requests_per_minute: 2_147_483_647,
  tokens_per_minute: 2_147_483_647
}

const limitValue = (name: ApiLimitName) => Type.Integer({ minimum: 0, maximum: limitMaximum[name] })
const unlimited = Type.Null({ description: 'unlimited' })
const inherit = Type.Literal('inherit', { description: 'remove the override: inherit from the level above' })

function limitsObject<T extends TSchema> (value: (name: ApiLimitName) => T, description: string) {
  return Type.Object({
    monthly_token_quota: Type.Optional(value('monthly_token_quota')),
    requests_per_minute: Type.Optional(value('requests_per_minute')),
    tokens_per_minute: Type.Optional(value('tokens_per_minute'))
  }, { additionalProperties: false, description })
}

/** A plan's limits as sent on create/update: absent on create = unlimited, absent on update = unchanged. */
export const PlanLimitsInputSchema = limitsObject((n) => Type.Union([limitValue(n), unlimited]),
  'A plan\'s limits: an integer, or null for unlimited.')

/** A plan's limits as returned: all three, null = unlimited. */
export const PlanLimitsSchema = Type.Object({
  monthly_token_quota: Type.Union([Type.Integer(), Type.Null()]),
  requests_per_minute: Type.Union([Type.Integer(), Type.Null()]),
  tokens_per_minute: Type.Union([Type.Integer(), Type.Null()])
}, { additionalProperties: false })

/** Overrides on create (and as returned): absent = inherit, null = unlimited, integer = limit. */
export const LimitOverridesSchema = limitsObject((n) => Type.Union([limitValue(n), unlimited]),
  'Overrides of plan limits: absent = inherit, null = unlimited, integer = the limit.')

/** Overrides on PATCH: as on create, plus "inherit" to remove an override; absent = unchanged. */
export const LimitOverridesPatchSchema = limitsObject((n) => Type.Union([limitValue(n), unlimited, inherit]),
  'Changes to overrides: integer or null sets one, "inherit" removes it, absent leaves it unchanged.')

export type PlanLimitsInput = Static<typeof PlanLimitsInputSchema>
export type ApiLimitOverrides = Static<typeof LimitOverridesSchema>
export type ApiLimitOverridesPatch = Static<typeof LimitOverridesPatchSchema>

/** Stored overrides → API shape (only the limits that are overridden). */
export function overridesToApi (stored: LimitOverrides): ApiLimitOverrides {
  const out: ApiLimitOverrides = {}
  for (const name of apiLimitNames) {
    const value = stored[storedName[name]]
    if (value !== undefined) out[name] = value
  }
  return out
}

/** API overrides (create) → stored shape. */
export function overridesFromApi (api: ApiLimitOverrides | undefined): LimitOverrides {
  return overridesPatchFromApi(api).set
}

/** A PATCH of overrides → what to set (a number or null) and what to remove ("inherit"); absent = unchanged. */
export function overridesPatchFromApi (patch: ApiLimitOverridesPatch | undefined): { set: LimitOverrides, remove: LimitName[] } {
  const set: LimitOverrides = {}
  const remove: LimitName[] = []
  for (const name of apiLimitNames) {
    const value = patch?.[name]
    if (value === undefined) continue
    if (value === 'inherit') remove.push(storedName[name])
    else set[storedName[name]] = value
  }
  return { set, remove }
}
