import { pgErrorOf } from '@switchyard/db'
import { SwitchyardError } from '@switchyard/errors'

/** postgres.js connection failures and our query deadline (no SQLSTATE: the server never answered). */
const driverConnectionCodes = new Set(['DB_QUERY_TIMEOUT', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'])

/** SQLSTATEs that mean "the database cannot serve right now", not "this query is wrong". */
function isUnavailableSqlState (code: string): boolean {
  return code.startsWith('08') || // connection exception
    code === '57014' || // query_canceled (statement_timeout)
    code === '57P01' || code === '57P02' || code === '57P03' || // admin/crash shutdown, cannot connect now
    code === '53300' || // too_many_connections
    code === '40P01' // deadlock_detected
}

function driverCodeOf (err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Names failures of the gateway's own dependencies instead of letting them become a bare
 * INTERNAL_ERROR: Postgres unreachable or too slow → DATABASE_UNAVAILABLE; Redis down with
 * RATE_LIMIT_FAIL_OPEN=false (where @fastify/rate-limit rethrows the client's error) →
 * RATE_LIMIT_STORE_UNAVAILABLE.
 */
export function mapDependencyErrors (err: unknown): SwitchyardError | undefined {
  const sqlState = pgErrorOf(err)?.code
  if (sqlState !== undefined) {
    return isUnavailableSqlState(sqlState) ? new SwitchyardError('DATABASE_UNAVAILABLE', { cause: err }) : undefined
  }
  const name = (err as { name?: string }).name ?? ''
  const message = (err as { message?: string }).message ?? ''
  if (name === 'MaxRetriesPerRequestError' || /Stream isn't writeable|Connection is closed|enableOfflineQueue|Command timed out/i.test(message)) {
    return new SwitchyardError('RATE_LIMIT_STORE_UNAVAILABLE', { cause: err })
  }
  const code = driverCodeOf(err)
  if (code !== undefined && driverConnectionCodes.has(code) && name !== 'SwitchyardError') {
    return new SwitchyardError('DATABASE_UNAVAILABLE', { cause: err })
  }
  return undefined
}
