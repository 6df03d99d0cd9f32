import { Type, type Static } from '@sinclair/typebox'
import type { ApiKey } from '@switchyard/db/schema'
import { AllowedModelsSchema, DisplayNameSchema, ExpiresAtSchema, UuidSchema } from './common.js'
import { LimitOverridesPatchSchema, LimitOverridesSchema, overridesToApi } from './limits.js'

/** What a new key may carry, on both `POST /v1/api-keys` and `POST /v1/admin/users/{id}/keys`. */
const newKeyFields = {
  name: DisplayNameSchema,
  expires_at: Type.Optional(Type.Union([ExpiresAtSchema, Type.Null()])),
  allowed_models: Type.Optional(Type.Union([AllowedModelsSchema, Type.Null()])),
  limits: Type.Optional(LimitOverridesSchema)
}

/** `POST /v1/api-keys`: as it always was (name, optional user_id), plus the newer optional fields. */
export const CreateApiKeyBodySchema = Type.Object({
  ...newKeyFields,
  user_id: Type.Optional(UuidSchema)
}, { additionalProperties: false })

/** `POST /v1/admin/users/{id}/keys`: the user is in the path. */
export const CreateUserKeyBodySchema = Type.Object(newKeyFields, { additionalProperties: false })

export const UpdateApiKeyBodySchema = Type.Object({
  name: Type.Optional(DisplayNameSchema),
  expires_at: Type.Optional(Type.Union([ExpiresAtSchema, Type.Null()])),
  allowed_models: Type.Optional(Type.Union([AllowedModelsSchema, Type.Null()])),
  limits: Type.Optional(LimitOverridesPatchSchema)
}, { additionalProperties: false, minProperties: 1 })

export const ApiKeyIdParamsSchema = Type.Object({
  id: UuidSchema
}, { additionalProperties: false })

export const UserKeyParamsSchema = Type.Object({
  id: UuidSchema,
  keyId: UuidSchema
}, { additionalProperties: false })

/** A key as listed: never the plaintext, never the hash. */
export const ApiKeySchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('api_key'),
  name: Type.String(),
  key_prefix: Type.String(),
  user_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  allowed_models: Type.Union([Type.Array(Type.String()), Type.Null()]),
  limits: LimitOverridesSchema,
  last_used_at: Type.Union([Type.String(), Type.Null()])
}, { additionalProperties: false })

/** The create response: the only time the plaintext key is ever returned. */
export const CreatedApiKeySchema = Type.Object({
  ...ApiKeySchema.properties,
  key: Type.String({ description: 'The plaintext key. Shown once; only its hash is stored.' })
}, { additionalProperties: false })

export const ApiKeyListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(ApiKeySchema)
})

export type CreateUserKeyBody = Static<typeof CreateUserKeyBodySchema>
export type UpdateApiKeyBody = Static<typeof UpdateApiKeyBodySchema>
export type ApiKeyView = Static<typeof ApiKeySchema>

const iso = (d: Date | null): string | null => d === null ? null : d.toISOString()

export function toApiKeyView (row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    object: 'api_key',
    name: row.name,
    key_prefix: row.keyPrefix,
    user_id: row.userId,
    created_at: row.createdAt.toISOString(),
    revoked_at: iso(row.revokedAt),
    expires_at: iso(row.expiresAt),
    allowed_models: row.allowedModels,
    limits: overridesToApi(row.limitOverrides),
    last_used_at: iso(row.lastUsedAt)
  }
}
