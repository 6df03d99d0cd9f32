import type { Sql } from 'postgres'

/** Thrown when the database did not answer a query within `DB_QUERY_TIMEOUT_MS`. */
export class DbQueryTimeoutError extends Error {
  override readonly name = 'DbQueryTimeoutError'
  /** Like postgres.js's own connection codes (no SQLSTATE: the server never answered). */
  readonly code = 'DB_QUERY_TIMEOUT'
  constructor (readonly timeoutMs: number) {
    super(`The database did not answer within ${timeoutMs} ms (DB_QUERY_TIMEOUT_MS).`)
  }
}

/** The parts of a postgres.js query object the deadline needs (they exist at runtime, not all in the types). */
interface PgQuery extends PromiseLike<unknown> {
  /** Set to the connection's backend key when the query is handed to a connection; null while queued. */
  state: unknown
  values: () => PgQuery
}

/** What a query that missed its deadline tells the pool owner: this pool's connection is stuck. */
export type OnStalled = (pool: Sql) => void

/**
 * Wraps one postgres.js query so that it settles within `timeoutMs`. On expiry the caller gets
 * DbQueryTimeoutError at once; if the query had reached a connection, `onStalled` is told so the
 * pool stops using that connection.
 */
function withDeadline (query: PgQuery, pool: Sql, timeoutMs: number, onStalled: OnStalled): PromiseLike<unknown> & { values: () => unknown } {
  let settled: Promise<unknown> | undefined
  const run = (): Promise<unknown> => {
    settled ??= new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new DbQueryTimeoutError(timeoutMs))
        // Still waiting for a connection: nothing is stuck yet. It is not cancelled either:
        // postgres.js would strand a connection whose first query was cancelled while it was
        // connecting. It runs or fails later, its outcome discarded.
        if (query.state === null || query.state === undefined) return
        // On a connection: that connection is what must go. No cancel request: postgres.js drops
        // its outcome (a failure would be an unhandled rejection), and a live server ends the
        // statement at statement_timeout anyway.
        onStalled(pool)
      }, timeoutMs)
      query.then((value) => { clearTimeout(timer); resolve(value) }, (err: unknown) => { clearTimeout(timer); reject(err) })
    })
    return settled
  }
  const wrapped = {
    values: () => { query.values(); return wrapped },
    then: <A, B>(onFulfilled?: ((v: unknown) => A | PromiseLike<A>) | null, onRejected?: ((e: unknown) => B | PromiseLike<B>) | null) => run().then(onFulfilled, onRejected)
  }
  return wrapped
}

/**
 * A postgres.js client as drizzle sees it, whose every query has a client-side deadline:
 * `unsafe` (what drizzle runs queries with) is timed, and `begin`/`savepoint` hand their
 * callbacks a client timed the same way, so transactions are covered too. Everything else is
 * forwarded to the pool `current()` returns at the time of the call.
 */
export function deadlineClient (current: () => Sql, timeoutMs: number, onStalled: OnStalled): Sql {
  const wrap = (target: () => Sql): Sql => new Proxy(function () {} as unknown as Sql, {
    get (_dummy, prop) {
      const sql = target()
      if (prop === 'unsafe') {
        return (text: string, params?: unknown[], options?: object) =>
          withDeadline(sql.unsafe(text, params as never, options) as unknown as PgQuery, poolOf(sql), timeoutMs, onStalled)
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const fn = (sql as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[prop]
        return async (...args: unknown[]) => await transactionWithDeadline({ sql, fn: fn!, args, wrap, timeoutMs, onStalled })
      }
      const value: unknown = Reflect.get(sql, prop)
      return typeof value === 'function' ? value.bind(sql) : value
    }
  })
  return wrap(current)
}

/**
 * postgres.js sends BEGIN (or SAVEPOINT) and COMMIT itself, outside the timed `unsafe`; a server
 * that goes silent there would hang the transaction. So those two phases get the deadline too:
 * from the call until the callback starts, and from the callback's end until the transaction
 * settles. The callback's own queries are timed one by one through the wrapped client.
 */
interface TransactionCall {
  sql: Sql
  fn: (...args: unknown[]) => Promise<unknown>
  args: unknown[]
  wrap: (target: () => Sql) => Sql
  timeoutMs: number
  onStalled: OnStalled
}

async function transactionWithDeadline ({ sql, fn, args, wrap, timeoutMs, onStalled }: TransactionCall): Promise<unknown> {
  const pool = poolOf(sql)
  let timer: NodeJS.Timeout | undefined
  let timedOut: DbQueryTimeoutError | undefined
  let expire: (err: Error) => void = () => {}
  const expired = new Promise<never>((_resolve, reject) => { expire = reject })
  const arm = (): void => {
    timer = setTimeout(() => {
      timedOut = new DbQueryTimeoutError(timeoutMs)
      expire(timedOut)
      onStalled(pool)
    }, timeoutMs)
  }
  const last = args.length - 1
  const callback = args[last] as (tx: Sql) => Promise<unknown>
  const guarded = async (tx: Sql): Promise<unknown> => {
    clearTimeout(timer)
    // BEGIN answered after the caller was told it failed: run none of its work.
    if (timedOut !== undefined) throw timedOut
    poolOfTx.set(tx, pool)
    try {
      return await callback(wrap(() => tx))
    } finally {
      arm()
    }
  }
  args[last] = guarded
  arm()
  try {
    return await Promise.race([fn.apply(sql, args), expired])
  } finally {
    clearTimeout(timer)
  }
}

/** Transaction clients → the pool they came from (a stuck transaction retires its pool). */
const poolOfTx = new WeakMap<Sql, Sql>()
const poolOf = (sql: Sql): Sql => poolOfTx.get(sql) ?? sql
