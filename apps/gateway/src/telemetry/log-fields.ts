import { answeredError, type RequestLogValue, type ResponseEnd } from '@switchyard/fastify-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { settledUsageOf } from './settled-usage.js'

// The gateway's part of the one completion line per request (fastify-kit requestLogPlugin): the
// key's id and its user (never the key), which provider and deployment served after how many
// attempts (the router's x-switchyard-* answer headers, relayed on the reply), and the tokens as
// accounting settles them (a stream's line is written when it ends, so they are final).

const header = (reply: FastifyReply, name: string): string | undefined => {
  const value = reply.getHeader(name)
  return value === undefined ? undefined : String(value)
}

/** Provider, deployment and attempts of the answer, or of the router's final failure. */
function servedBy (request: FastifyRequest, reply: FastifyReply): Record<string, RequestLogValue> {
  const attempts = header(reply, 'x-switchyard-attempts')
  if (attempts !== undefined) {
    return { provider: header(reply, 'x-switchyard-provider'), deployment: header(reply, 'x-switchyard-deployment'), attempts: Number(attempts) }
  }
  const details = answeredError(reply)?.details
  const tried = details?.['attempts']
  const provider = details?.['provider']
  const deployment = details?.['deployment']
  return {
    provider: typeof provider === 'string' ? provider : request.usageOutcome?.provider,
    deployment: typeof deployment === 'string' ? deployment : request.usageOutcome?.deployment,
    attempts: Array.isArray(tried) ? tried.length : undefined
  }
}

export function gatewayLogFields (request: FastifyRequest, reply: FastifyReply, end: ResponseEnd): Record<string, RequestLogValue> {
  const key = request.apiKey
  const fields: Record<string, RequestLogValue> = { keyId: key?.id, userId: key?.userId }
  if (request.usageOutcome === null) return fields
  Object.assign(fields, servedBy(request, reply))
  const settled = settledUsageOf(request, reply, end.finished)
  if (settled !== undefined) {
    fields['promptTokens'] = settled.promptTokens
    fields['completionTokens'] = settled.completionTokens
    fields['totalTokens'] = settled.totalTokens
    fields['tokensEstimated'] = settled.estimated
    // A stream that failed after its first byte answered 200: its code comes from the stream.
    if (settled.errorCode !== undefined) fields['code'] = settled.errorCode
  }
  return fields
}
