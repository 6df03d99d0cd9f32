import type { FastifyReply } from 'fastify'
import type { Fault, StatusFault } from '../faults/fault.js'
import { genericStatusBody } from '../openai/error-bodies.js'
import type { StreamPlan } from '../http/event-stream.js'
import { closedSignal, pause, untilAborted } from '../http/response-lifecycle.js'

/** The body of a `status` fault that brought none, in the route's protocol. */
export type GenericStatusBody = (status: number) => unknown

function sendStatus (reply: FastifyReply, fault: StatusFault, genericBody: GenericStatusBody): FastifyReply {
  reply.code(fault.status)
  const body = fault.body ?? genericBody(fault.status)
  reply.type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
  if (fault.headers !== undefined) reply.headers(fault.headers)
  return reply.send(typeof body === 'string' ? body : JSON.stringify(body))
}

/**
 * Acts out the part of a fault that replaces or precedes a normal answer. Returns true when the
 * fault took the response over (the handler must not answer), false when the handler answers
 * normally (after a header delay, or with a stream whose misbehaviour `streamPlan` describes).
 */
export async function actOutFault (
  fault: Fault | undefined,
  reply: FastifyReply,
  streaming: boolean,
  genericBody: GenericStatusBody = genericStatusBody
): Promise<boolean> {
  switch (fault?.kind) {
    case undefined:
    case 'chunk-delay':
      return false
    case 'status':
      sendStatus(reply, fault, genericBody)
      return true
    case 'delay-headers':
      if (await pause(fault.ms, closedSignal(reply.raw))) return false
      reply.hijack() // the client left while we waited: nothing to answer
      return true
    case 'stream-error':
      if (streaming) return false
      sendStatus(reply, { kind: 'status', status: fault.status ?? 500 }, genericBody)
      return true
    case 'drop':
      if (streaming && fault.afterChunks !== undefined) return false
      reply.hijack()
      reply.raw.socket?.destroy()
      return true
    case 'stall':
      if (streaming) return false
      reply.hijack()
      await untilAborted(closedSignal(reply.raw))
      return true
  }
}

/** The framed SSE error event a route's protocol sends mid-stream for an HTTP status. */
export type ErrorEventFor = (status: number | undefined) => string

/** OpenAI's mid-stream error: a data event with an `error` object (the SDKs raise APIError on it). */
export const openAIErrorEvent: ErrorEventFor = (status) =>
  `data: ${JSON.stringify(genericStatusBody(status ?? 500))}\n\n`

/** What a stream must do given its fault: chunk delay, and where to stall, drop or fail. */
export function streamPlan (fault: Fault | undefined, defaultChunkDelayMs: number, errorEventFor: ErrorEventFor = openAIErrorEvent): StreamPlan {
  return {
    chunkDelayMs: fault?.kind === 'chunk-delay' ? fault.ms : defaultChunkDelayMs,
    stallAfter: fault?.kind === 'stall' ? fault.afterChunks : undefined,
    dropAfter: fault?.kind === 'drop' ? fault.afterChunks : undefined,
    ...(fault?.kind === 'stream-error' ? { errorAfter: fault.afterChunks, errorEvent: errorEventFor(fault.status) } : {})
  }
}
