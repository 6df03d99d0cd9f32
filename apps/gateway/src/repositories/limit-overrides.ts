import type { LimitName, LimitOverrides } from '@switchyard/db/schema'
import { sql, type AnyColumn, type SQL } from 'drizzle-orm'

/** A change to a `limit_overrides` column: limits to set (a number or null) and limits to remove. */
export interface OverridesChange {
  set: LimitOverrides
  remove: LimitName[]
}

/**
 * The change as one SQL expression over the column's current value (`(col - 'a' - 'b') || '{…}'`),
 * so two admins changing different limits of the same user at once both win: no read-modify-write.
 */
export function overridesChangeSql (column: AnyColumn, change: OverridesChange): SQL {
  let expr = sql`${column}`
  for (const name of change.remove) expr = sql`(${expr} - ${name}::text)`
  return sql`(${expr} || ${JSON.stringify(change.set)}::jsonb)`
}
