import { bigint, integer, pgTable, timestamp } from 'drizzle-orm/pg-core'

/**
 * One row whose `revision` a trigger bumps on every change to plans, users or keys that
 * authentication or limits depend on (migration 0001). Each gateway replica polls this single row
 * (about once a second, not per request) and drops its key cache when the number moves, so a
 * revocation or plan change made anywhere (admin API on any replica, the CLI, plain SQL) reaches
 * every replica within seconds without a database round trip per request.
 */
export const authRevision = pgTable('auth_revision', {
  id: integer('id').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow()
})
