import { Type } from '@sinclair/typebox'

/**
 * Text an operator types and other operators read in listings: no control characters and no
 * bidirectional overrides (which can make a listing lie about what it shows), at least one visible
 * character, bounded length.
 */
export const DisplayNameSchema = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^(?=.*\\S)[^\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069]+$',
  description: 'Up to 200 characters; no control characters.'
})

export const UuidSchema = Type.String({ format: 'uuid' })

export const IdParamsSchema = Type.Object({ id: UuidSchema }, { additionalProperties: false })

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid (value: string): boolean {
  return UUID_PATTERN.test(value)
}

/** An RFC 3339 date-time; the handlers also require it to be in the future. */
export const ExpiresAtSchema = Type.String({ format: 'date-time', maxLength: 64, description: 'RFC 3339 date-time in the future.' })

/** Model aliases a key may call (null = every model the router serves). */
export const AllowedModelsSchema = Type.Array(
  Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s\\p{Cc}]+$' }),
  { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Model aliases this key may call; null = all.' }
)
