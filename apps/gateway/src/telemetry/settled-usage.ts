import type { FastifyReply, FastifyRequest } from 'fastify'
import { settleOutcome, type SettledUsage } from '../usage/request-outcome.js'

// The tokens, status and error code of a finished request, for the request log line and the token
// metrics: the same pure settlement the accounting hook records (usage/request-outcome.ts),
// computed at most once per request whichever of the two asks first.

const kSettled = Symbol('telemetry.settledUsage')
interface Memo { [kSettled]?: SettledUsage | null }

/** Undefined for requests that never reached the router (no usage outcome). */
export function settledUsageOf (request: FastifyRequest, reply: FastifyReply, finished: boolean): SettledUsage | undefined {
  const memo = request as Memo
  const known = memo[kSettled]
  if (known !== undefined) return known ?? undefined
  const o = request.usageOutcome
  const settled = o === null ? null : settleOutcome(o, { finished, headersSent: reply.raw.headersSent, statusCode: reply.statusCode })
  memo[kSettled] = settled
  return settled ?? undefined
}
