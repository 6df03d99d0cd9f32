import { randomBytes } from 'node:crypto'
import type { DbHandle } from '@switchyard/db'
import { apiKeys, plans, users, type LimitOverrides } from '@switchyard/db/schema'
import { displayPrefix, generateApiKey, hashApiKey } from '../../src/auth/api-key.js'

export interface LimitedKeyOptions {
  plan?: { monthlyTokenQuota?: number | null, requestsPerMinute?: number | null, tokensPerMinute?: number | null }
  userOverrides?: LimitOverrides
  keyOverrides?: LimitOverrides
  allowedModels?: string[] | null
  expiresAt?: Date | null
  /** Reuse this user (and its plan) instead of creating one. */
  userId?: string
}

export interface LimitedKey { key: string, keyId: string, userId: string, planName: string }

/**
 * A user on a fresh plan with the given limits and a key for them, written straight to the
 * database (the admin API for users and plans is not this suite's subject).
 */
export async function createLimitedKey (handle: DbHandle, opts: LimitedKeyOptions = {}): Promise<LimitedKey> {
  const { db } = handle
  let userId = opts.userId
  let planName = ''
  if (userId === undefined) {
    planName = `plan-${randomBytes(4).toString('hex')}`
    const [plan] = await db.insert(plans).values({ name: planName, monthlyTokenQuota: null, requestsPerMinute: null, tokensPerMinute: null, ...opts.plan }).returning()
    const [user] = await db.insert(users).values({ name: `user-${planName}`, planId: plan!.id, limitOverrides: opts.userOverrides ?? {} }).returning()
    userId = user!.id
  }
  const key = generateApiKey()
  const [row] = await db.insert(apiKeys).values({
    name: 'limited',
    keyHash: hashApiKey(key),
    keyPrefix: displayPrefix(key),
    userId,
    limitOverrides: opts.keyOverrides ?? {},
    allowedModels: opts.allowedModels ?? null,
    expiresAt: opts.expiresAt ?? null
  }).returning()
  return { key, keyId: row!.id, userId, planName }
}
