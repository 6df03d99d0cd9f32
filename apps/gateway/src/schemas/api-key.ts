import { Type, type Static } from '@sinclair/typebox'

export const CreateApiKeyBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  user_id: Type.Optional(Type.String({ format: 'uuid' }))
}, { additionalProperties: false })

export const ApiKeyIdParamsSchema = Type.Object({
  id: Type.String({ format: 'uuid' })
})

/** A key as listed: never the plaintext, never the hash. */
export const ApiKeySchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('api_key'),
  name: Type.String(),
  key_prefix: Type.String(),
  user_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()])
})

/** The create response: the only time the plaintext key is ever returned. */
export const CreatedApiKeySchema = Type.Intersect([ApiKeySchema, Type.Object({ key: Type.String() })])

export const ApiKeyListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(ApiKeySchema)
})

export type ApiKeyView = Static<typeof ApiKeySchema>
