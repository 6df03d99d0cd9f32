import type { FastifyReply } from 'fastify'

// The catalogue code a reply was answered with, noted by the error handler (the one place that
// maps every thrown error, service-specific mappings included) so the request log line, the
// request metrics and service hooks (e.g. the gateway's refusal counter) all read the same code
// instead of re-deriving it from the raw error.

const kErrorCode = Symbol('switchyard.errorCode')
interface Coded { [kErrorCode]?: string }

/** Called by the error handler with the code the client is sent. */
export function noteErrorCode (reply: FastifyReply, code: string): void {
  (reply as Coded)[kErrorCode] = code
}

/** The catalogue code of an error answer; undefined for answers that did not fail. */
export function errorCodeOf (reply: FastifyReply): string | undefined {
  return (reply as Coded)[kErrorCode]
}
