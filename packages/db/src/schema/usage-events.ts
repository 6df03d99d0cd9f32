import { sql } from 'drizzle-orm'
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { apiKeys } from './api-keys.js'

/** One upstream attempt the router made for a request (for request traces). */
export interface UsageAttempt {
  deployment: string
  /** The deployment's provider id (absent in rows written before traces named it). */
  provider?: string
  /** served, failed, or skipped because the deployment was cooling down (never called). */
  outcome?: 'served' | 'failed' | 'skipped_cooling_down'
  /** Catalogue code of the attempt's failure; absent when it succeeded. */
  code?: string
  /** The provider's HTTP status; absent for transport failures and skipped deployments. */
  upstreamStatus?: number
  durationMs?: number
}

/**
 * One row per request the gateway answered (success or failure), the source of truth for usage
 * reports and monthly quotas. `user_id` is copied from the key at request time (no foreign key)
 * so quota sums need no join and history survives a key moving between users. Both indexes lead
 * with the owner and end with `created_at` because every read is "this key/user since date X".
 * `request_id` is unique: rows are written in batches that may be retried after a failure, and
 * `ON CONFLICT (request_id) DO NOTHING` makes every write of an event happen exactly once.
 */
export const usageEvents = pgTable('usage_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  apiKeyId: uuid('api_key_id').notNull().references(() => apiKeys.id, { onDelete: 'cascade' }),
  userId: uuid('user_id'),
  requestId: text('request_id').notNull(),
  /** The client's own `x-request-id`, if it sent one (sanitised, capped); never a key. */
  correlationId: text('correlation_id'),
  /** `chat.completions` or `embeddings`. */
  endpoint: text('endpoint').notNull().default('chat.completions'),
  model: text('model').notNull(),
  provider: text('provider'),
  /** The deployment that served (or last failed) the request, as the router named it. */
  deployment: text('deployment'),
  promptTokens: integer('prompt_tokens').notNull().default(0),
  completionTokens: integer('completion_tokens').notNull().default(0),
  totalTokens: integer('total_tokens').notNull().default(0),
  /** True when the provider reported no usage and the tokens were estimated from the text. */
  estimated: boolean('estimated').notNull().default(false),
  statusCode: integer('status_code').notNull(),
  /** Catalogue code from @switchyard/errors when the request failed. */
  errorCode: text('error_code'),
  streamed: boolean('streamed').notNull().default(false),
  latencyMs: integer('latency_ms').notNull(),
  /** Time to first byte of the answer, when there was one. */
  ttfbMs: integer('ttfb_ms'),
  /**
   * Every attempt the router made, for `GET /v1/requests/{id}`. Set to NULL after
   * TRACE_RETENTION_DAYS (docs/adr/0026); the rest of the row stays for quotas and reports.
   */
  attempts: jsonb('attempts').$type<UsageAttempt[]>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('usage_events_request_id_idx').on(t.requestId),
  index('usage_events_api_key_id_created_at_idx').on(t.apiKeyId, t.createdAt),
  index('usage_events_user_id_created_at_idx').on(t.userId, t.createdAt),
  index('usage_events_created_at_idx').on(t.createdAt),
  // Only rows that still hold a trace: the retention pruner finds the next batch without
  // walking every row it already pruned.
  index('usage_events_trace_created_at_idx').on(t.createdAt).where(sql`${t.attempts} IS NOT NULL`)
])

export type UsageEvent = typeof usageEvents.$inferSelect
export type NewUsageEvent = typeof usageEvents.$inferInsert
