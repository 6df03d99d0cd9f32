import { bigint, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** The plan every user without one (and so every key without a user) is on: no limits. */
export const DEFAULT_PLAN_ID = '00000000-0000-4000-8000-000000000001'

/**
 * A plan bundles the limits the gateway enforces for a user. Every limit is nullable because
 * "no limit" is a real, common choice (internal users, self-hosted single team) and a sentinel
 * number such as 0 or -1 would be ambiguous. Migrations seed `default` (unlimited), `free`
 * (10,000 tokens/month) and `pro` (1,000,000 tokens/month).
 */
export const plans = pgTable('plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  /** Tokens per calendar month (UTC); null = unlimited. bigint because large teams exceed 2^31. */
  monthlyTokenQuota: bigint('monthly_token_quota', { mode: 'number' }),
  /** null = no request-rate limit. */
  requestsPerMinute: integer('requests_per_minute'),
  /** null = no token-rate limit. */
  tokensPerMinute: integer('tokens_per_minute'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
})

export type Plan = typeof plans.$inferSelect
export type NewPlan = typeof plans.$inferInsert
