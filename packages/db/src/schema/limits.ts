import { sql } from 'drizzle-orm'
import { jsonb } from 'drizzle-orm/pg-core'

/** The limits a plan sets and that a user or a key may override. */
export const limitNames = ['monthlyTokenQuota', 'requestsPerMinute', 'tokensPerMinute'] as const
export type LimitName = typeof limitNames[number]

/**
 * Per-user or per-key overrides of plan limits. Three states per limit, all distinct:
 * - property absent: inherit from the level above (key ← user ← plan);
 * - `null`: unlimited at this level, whatever the plan says;
 * - a number ≥ 0: this limit.
 * A JSON object rather than three nullable columns because a nullable column has only two
 * states, and "inherit" versus "unlimited" is exactly the distinction operators need.
 */
export type LimitOverrides = Partial<Record<LimitName, number | null>>

export const limitOverridesColumn = () =>
  jsonb('limit_overrides').$type<LimitOverrides>().notNull().default(sql`'{}'::jsonb`)
