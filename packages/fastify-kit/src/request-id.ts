import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** What an inbound x-request-id must look like to be reused: short, no spaces or control chars. */
const trustedId = /^[A-Za-z0-9._:-]{8,128}$/

/**
 * Fastify `genReqId` for every service: reuse the caller's `x-request-id` when it is well formed
 * (so one id follows a request gateway → router → provider logs), otherwise mint `req_<uuid>`.
 * Services pass `requestIdHeader: false` so this function is the only source of ids.
 */
export function genRequestId (req: IncomingMessage): string {
  const inbound = req.headers['x-request-id']
  if (typeof inbound === 'string' && trustedId.test(inbound)) return inbound
  return `req_${randomUUID().replaceAll('-', '')}`
}
