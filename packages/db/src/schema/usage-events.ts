import { bigint, boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { apiKeys } from './api-keys.js'

/**
 * One row per request the gateway answered (success or failure), the source of truth for usage
 * reports and monthly quotas. `user_id` is copied from the key at request time (no foreign key)
 * so quota sums need no join and history survives a key moving between users. Both indexes lead
 * with the owner and end with `created_at` because every read is "this key/user since date X".
 */
export const usageEvents = pgTable('usage_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  apiKeyId: uuid('api_key_id').notNull().references(() => apiKeys.id, { onDelete: 'cascade' }),
  userId: uuid('user_id'),
  requestId: text('request_id').notNull(),
  model: text('model').notNull(),
  provider: text('provider'),
  promptTokens: integer('prompt_tokens').notNull().default(0),
  completionTokens: integer('completion_tokens').notNull().default(0),
  totalTokens: integer('total_tokens').notNull().default(0),
  statusCode: integer('status_code').notNull(),
  /** Catalogue code from @switchyard/errors when the request failed. */
  errorCode: text('error_code'),
  streamed: boolean('streamed').notNull().default(false),
  latencyMs: integer('latency_ms').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [
  index('usage_events_api_key_id_created_at_idx').on(t.apiKeyId, t.createdAt),
  index('usage_events_user_id_created_at_idx').on(t.userId, t.createdAt)
])

export type UsageEvent = typeof usageEvents.$inferSelect
export type NewUsageEvent = typeof usageEvents.$inferInsert
