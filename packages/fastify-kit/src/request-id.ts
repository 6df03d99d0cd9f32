import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** What an inbound x-request-id from another Switchyard service looks like: short, no spaces or control chars. */
const trustedId = /^[A-Za-z0-9._:-]{8,128}$/

/** `req_<uuid>`: unique, so it can be the key of a usage row. */
export function mintRequestId (): string {
  return `req_${randomUUID().replaceAll('-', '')}`
}

/**
 * Fastify `genReqId` for the public gateway: every request gets an id of its own. A client's
 * `x-request-id` is never reused (two requests could share it); it is kept apart as the
 * correlation id (see `correlationIdOf`).
 */
export function genRequestId (_req: IncomingMessage): string {
  return mintRequestId()
}

/**
 * Fastify `genReqId` for internal services (router, health): reuse the caller's `x-request-id`
 * when it is well formed, so the gateway's id follows a request through every service's logs;
 * otherwise mint one.
 */
export function genRequestIdTrustingCaller (req: IncomingMessage): string {
  const inbound = req.headers['x-request-id']
  if (typeof inbound === 'string' && trustedId.test(inbound)) return inbound
  return mintRequestId()
}

/** Longest client correlation id kept; longer values are ignored, not cut (a cut id correlates nothing). */
export const CORRELATION_ID_MAX_LENGTH = 128
const printableAscii = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/

/**
 * The client's own id for a request (its `x-request-id`), when it is printable ASCII of at most
 * 128 characters; undefined otherwise. Logged, echoed and stored, never used as a key.
 */
export function correlationIdOf (value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || value.length > CORRELATION_ID_MAX_LENGTH) return undefined
  return printableAscii.test(value) ? value : undefined
}
