/** What callers need from a failed query to map it to an API error (e.g. 409 on a duplicate). */
export interface PgErrorInfo {
  /** SQLSTATE, e.g. `23505` unique_violation, `23503` foreign_key_violation. */
  code: string
  /** Constraint that failed, e.g. `api_keys_key_hash_unique`, when the server names one. */
  constraint?: string
}

export const UNIQUE_VIOLATION = '23505'

/**
 * The Postgres error behind a failed drizzle query, whichever driver ran it. drizzle wraps driver
 * errors in DrizzleQueryError (the original is `cause`), and the drivers name the constraint
 * differently (postgres.js `constraint_name`, PGlite `constraint`); this hides both differences.
 * Note: DrizzleQueryError's `message` embeds the query parameters, so log `code`, not `message`.
 */
export function pgErrorOf (err: unknown): PgErrorInfo | undefined {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 3; depth++) {
    const fields = e as { code?: unknown, constraint?: unknown, constraint_name?: unknown, cause?: unknown }
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      const constraint = fields.constraint_name ?? fields.constraint
      return typeof constraint === 'string' ? { code: fields.code, constraint } : { code: fields.code }
    }
    e = fields.cause
  }
  return undefined
}

/** True when `err` is a unique violation (of `constraint`, if given). */
export function isUniqueViolation (err: unknown, constraint?: string): boolean {
  const info = pgErrorOf(err)
  return info?.code === UNIQUE_VIOLATION && (constraint === undefined || info.constraint === constraint)
}
