import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { limitOverridesColumn } from './limits.js'
import { plans } from './plans.js'

/** The user that keys created without one belong to (today's keys and the development key). */
export const DEFAULT_USER_ID = '00000000-0000-4000-8000-000000000002'

/**
 * A user owns API keys and is what monthly quotas are counted against. A null `plan_id` means the
 * default plan. A plan that users are on cannot be deleted (`restrict`): silently moving users to
 * another plan, or deleting them with their keys, would both surprise the operator.
 */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').unique(),
  planId: uuid('plan_id').references(() => plans.id, { onDelete: 'restrict' }),
  limitOverrides: limitOverridesColumn(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
})

export type User = typeof users.$inferSelect
export type NewUser = typeof users.$inferInsert
