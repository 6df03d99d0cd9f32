import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { limitOverridesColumn } from './limits.js'
import { users } from './users.js'

/**
 * API keys are stored only as a SHA-256 hex digest of the plaintext, so a database leak does not
 * leak usable keys; the plaintext is shown once at creation. `key_prefix` keeps the first few
 * characters so admins can tell keys apart in listings. The unique index on `key_hash` is also
 * the lookup index the gateway uses on every cache miss.
 */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  /**
   * null = the default user (DEFAULT_USER_ID). Kept nullable while old and new tasks share the
   * database (expand/contract): a later migration backfills and sets NOT NULL.
   */
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  keyPrefix: text('key_prefix').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when revoked; revoked keys stay for audit and usage history. */
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** null = never expires. */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  /** Model aliases this key may call; null = every model the router serves. */
  allowedModels: text('allowed_models').array(),
  limitOverrides: limitOverridesColumn(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true })
})

export type ApiKey = typeof apiKeys.$inferSelect
export type NewApiKey = typeof apiKeys.$inferInsert
