import { pgErrorOf, type Database } from '@switchyard/db'
import type { ApiKey } from '@switchyard/db/schema'
import { SwitchyardError } from '@switchyard/errors'
import { displayPrefix, generateApiKey, hashApiKey } from '../auth/api-key.js'
import { insertKey, type KeyChanges } from '../repositories/api-keys.js'
import type { CreateUserKeyBody, UpdateApiKeyBody } from '../schemas/api-key.js'
import { overridesFromApi, overridesPatchFromApi } from '../schemas/limits.js'

/**
 * An expiry as sent (RFC 3339 or null): undefined stays "not given", null "never", and a time in
 * the past is refused, since a key that is born expired is always an operator's mistake.
 */
export function parseExpiry (value: string | null | undefined, now = Date.now()): Date | null | undefined {
  if (value === undefined || value === null) return value
  const at = new Date(value)
  if (Number.isNaN(at.getTime()) || at.getTime() <= now) {
    throw new SwitchyardError('INVALID_REQUEST', {
      message: `Invalid request: expires_at must be a date-time in the future (got "${value.slice(0, 64)}").`,
      details: { param: 'expires_at' }
    })
  }
  return at
}

/**
 * Issues a key for a user (null = the default user): generates it, stores only its hash and
 * returns the plaintext with the row. The only place a plaintext key exists.
 */
export async function issueKey (db: Database, userId: string | null, input: CreateUserKeyBody): Promise<{ row: ApiKey, key: string }> {
  const key = generateApiKey()
  try {
    const row = await insertKey(db, {
      name: input.name,
      keyHash: hashApiKey(key),
      keyPrefix: displayPrefix(key),
      userId,
      expiresAt: parseExpiry(input.expires_at) ?? null,
      allowedModels: input.allowed_models ?? null,
      limitOverrides: overridesFromApi(input.limits)
    })
    return { row, key }
  } catch (err) {
    // 23503 = foreign_key_violation: the user does not exist (or was deleted meanwhile).
    if (pgErrorOf(err)?.code === '23503') throw new SwitchyardError('USER_NOT_FOUND', { details: { user: userId, param: 'user_id' } })
    throw err
  }
}

/** A key PATCH as column changes; limits merge into the key's current overrides. */
export function keyChanges (patch: UpdateApiKeyBody): KeyChanges {
  const changes: KeyChanges = {}
  if (patch.name !== undefined) changes.name = patch.name
  if (patch.expires_at !== undefined) changes.expiresAt = parseExpiry(patch.expires_at)
  if (patch.allowed_models !== undefined) changes.allowedModels = patch.allowed_models
  if (patch.limits !== undefined) changes.limits = overridesPatchFromApi(patch.limits)
  return changes
}
