import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { plans } from './plans.js'

/**
 * A user owns API keys and is what quotas are counted against. Deleting a plan leaves its users
 * on "no plan" (set null) rather than deleting them: losing users with their keys because an
 * admin retired a plan would be far worse than a user running without limits.
 */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').unique(),
  planId: uuid('plan_id').references(() => plans.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
})

export type User = typeof users.$inferSelect
export type NewUser = typeof users.$inferInsert
