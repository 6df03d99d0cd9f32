import { Type, type Static } from '@sinclair/typebox'
import { DisplayNameSchema } from './common.js'
import { LimitOverridesPatchSchema, LimitOverridesSchema, overridesToApi } from './limits.js'
import type { UserWithPlan } from '../repositories/users.js'

export const EmailSchema = Type.String({ format: 'email', maxLength: 254, description: 'Unique; stored in lower case.' })

/** A plan id or name; null = the default plan. */
export const PlanRefSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9._-]+$' }),
  Type.Null()
], { description: 'Plan id or name; null = the default plan.' })

export const CreateUserBodySchema = Type.Object({
  name: DisplayNameSchema,
  email: Type.Optional(Type.Union([EmailSchema, Type.Null()])),
  plan: Type.Optional(PlanRefSchema),
  limits: Type.Optional(LimitOverridesSchema)
}, { additionalProperties: false })

export const UpdateUserBodySchema = Type.Object({
  name: Type.Optional(DisplayNameSchema),
  email: Type.Optional(Type.Union([EmailSchema, Type.Null()])),
  plan: Type.Optional(PlanRefSchema),
  limits: Type.Optional(LimitOverridesPatchSchema)
}, { additionalProperties: false, minProperties: 1 })

/** Query strings arrive as text and the services never coerce types, hence patterns. */
export const ListUsersQuerySchema = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$', description: '1 to 1000; default 100.' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'Users to skip; default 0.' }))
}, { additionalProperties: false })

export const UserSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('user'),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  plan: Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false }),
  limits: LimitOverridesSchema,
  created_at: Type.String(),
  updated_at: Type.String()
}, { additionalProperties: false })

export const UserListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(UserSchema),
  has_more: Type.Boolean()
})

export type UserView = Static<typeof UserSchema>

export function toUserView (row: UserWithPlan): UserView {
  return {
    id: row.id,
    object: 'user',
    name: row.name,
    email: row.email,
    plan: row.plan,
    limits: overridesToApi(row.limitOverrides),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString()
  }
}
