import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './users.js'

/**
 * API keys are stored only as a SHA-256 hex digest of the plaintext, so a database leak does not
 * leak usable keys; the plaintext is shown once at creation. `key_prefix` keeps the first few
 * characters so admins can tell keys apart in listings. The unique index on `key_hash` is also
 * the lookup index the gateway uses on every request.
 */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** null = a service key not tied to a user (no per-user quota). */
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  keyPrefix: text('key_prefix').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when revoked; revoked keys stay for audit and usage history. */
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true })
})

export type ApiKey = typeof apiKeys.$inferSelect
export type NewApiKey = typeof apiKeys.$inferInsert
