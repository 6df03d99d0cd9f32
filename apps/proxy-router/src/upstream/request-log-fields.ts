import { answeredError, type RequestLogValue } from '@switchyard/fastify-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'

// The router's part of the one completion line per request (fastify-kit requestLogPlugin):
// which provider and deployment served, after how many attempts. Read from what the request
// already produced, never computed anew: the x-switchyard-* headers of a success, the final
// error's details of a failure. Time to first byte is the plugin's own (headers out = the first
// content of a stream, which the router holds until it arrives).

const header = (reply: FastifyReply, name: string): string | undefined => {
  const value = reply.getHeader(name)
  return value === undefined ? undefined : String(value)
}

export function routerLogFields (_request: FastifyRequest, reply: FastifyReply): Record<string, RequestLogValue> {
  const provider = header(reply, 'x-switchyard-provider')
  if (provider !== undefined) {
    return { provider, deployment: header(reply, 'x-switchyard-deployment'), attempts: Number(header(reply, 'x-switchyard-attempts') ?? 0) }
  }
  const details = answeredError(reply)?.details
  if (details === undefined) return {}
  const attempts = details['attempts']
  const deployment = details['deployment']
  const failedProvider = details['provider']
  return {
    provider: typeof failedProvider === 'string' ? failedProvider : undefined,
    deployment: typeof deployment === 'string' ? deployment : undefined,
    attempts: Array.isArray(attempts) ? attempts.length : undefined
  }
}
