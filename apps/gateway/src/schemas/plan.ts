import { Type, type Static } from '@sinclair/typebox'
import type { Plan } from '@switchyard/db/schema'
import { PlanLimitsInputSchema, PlanLimitsSchema } from './limits.js'

/**
 * Plan names are identifiers (CLI flags, `"plan": "pro"` on users, error details): lower-case
 * letters, digits, `.`, `_` and `-`, and never shaped like a UUID, because a plan reference is
 * read as an id when it is one.
 */
export const PlanNameSchema = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: '^(?![0-9a-f]{8}-[0-9a-f]{4}-)[a-z0-9][a-z0-9._-]*$',
  description: 'Lower-case letters, digits, ".", "_" and "-"; up to 63 characters.'
})

export const CreatePlanBodySchema = Type.Object({
  name: PlanNameSchema,
  limits: Type.Optional(PlanLimitsInputSchema)
}, { additionalProperties: false })

export const UpdatePlanBodySchema = Type.Object({
  name: Type.Optional(PlanNameSchema),
  limits: Type.Optional(PlanLimitsInputSchema)
}, { additionalProperties: false, minProperties: 1 })

/** A plan id or name in a path. */
export const PlanRefParamsSchema = Type.Object({
  plan: Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9._-]+$', description: 'Plan id or name.' })
}, { additionalProperties: false })

export const PlanSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('plan'),
  name: Type.String(),
  limits: PlanLimitsSchema,
  created_at: Type.String(),
  updated_at: Type.String()
}, { additionalProperties: false })

export const PlanListSchema = Type.Object({ object: Type.Literal('list'), data: Type.Array(PlanSchema) })

export type PlanView = Static<typeof PlanSchema>

export function toPlanView (row: Plan): PlanView {
  return {
    id: row.id,
    object: 'plan',
    name: row.name,
    limits: {
      monthly_token_quota: row.monthlyTokenQuota,
      requests_per_minute: row.requestsPerMinute,
      tokens_per_minute: row.tokensPerMinute
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString()
  }
}
