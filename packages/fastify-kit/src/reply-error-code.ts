import type { SwitchyardError } from '@switchyard/errors'
import type { FastifyReply } from 'fastify'

// The catalogue error a reply was answered with, noted by the error handler (the one place that
// maps every thrown error, service-specific mappings included) so the request log line, the
// request metrics and service hooks (e.g. the gateway's refusal counter, the router's attempt
// count on a failure) all read the same error instead of re-deriving it from the raw one.

const kAnswered = Symbol('switchyard.answeredError')
interface Answered { [kAnswered]?: SwitchyardError }

/** Called by the error handler with the error the client is sent. */
export function noteAnsweredError (reply: FastifyReply, err: SwitchyardError): void {
  (reply as Answered)[kAnswered] = err
}

/** The catalogue error of an error answer; undefined for answers that did not fail. */
export function answeredError (reply: FastifyReply): SwitchyardError | undefined {
  return (reply as Answered)[kAnswered]
}

/** The catalogue code of an error answer; undefined for answers that did not fail. */
export function errorCodeOf (reply: FastifyReply): string | undefined {
  return (reply as Answered)[kAnswered]?.code
}
