import { Type } from '@sinclair/typebox'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'

/** Error responses every admin route may send (validation, auth, not found, conflict, database). */
export const adminErrorResponses = { '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema }

/** OpenAPI: admin routes take the admin token as a bearer token. */
export const adminSecurity = [{ adminToken: [] }]

export const DeletedSchema = Type.Object({
  id: Type.String(),
  object: Type.String(),
  deleted: Type.Literal(true),
  deleted_keys: Type.Optional(Type.Integer({ description: 'Keys deleted with the user (users only).' }))
}, { additionalProperties: false })
