import type { FastifyReply } from 'fastify'
import type { Fault, StatusFault } from '../faults/fault.js'
import { genericStatusBody } from '../openai/error-bodies.js'
import type { StreamPlan } from '../http/event-stream.js'
import { closedSignal, pause, untilAborted } from '../http/response-lifecycle.js'

function sendStatus (reply: FastifyReply, fault: StatusFault): FastifyReply {
  reply.code(fault.status)
  const body = fault.body ?? genericStatusBody(fault.status)
  reply.type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
  if (fault.headers !== undefined) reply.headers(fault.headers)
  return reply.send(typeof body === 'string' ? body : JSON.stringify(body))
}

/**
 * Acts out the part of a fault that replaces or precedes a normal answer. Returns true when the
 * fault took the response over (the handler must not answer), false when the handler answers
 * normally (after a header delay, or with a stream whose misbehaviour `streamPlan` describes).
 */
export async function actOutFault (fault: Fault | undefined, reply: FastifyReply, streaming: boolean): Promise<boolean> {
  switch (fault?.kind) {
    case undefined:
    case 'chunk-delay':
      return false
    case 'error-event':
      if (streaming) return false
      sendStatus(reply, { kind: 'status', status: 500, body: fault.body })
      return true
    case 'status':
      sendStatus(reply, fault)
      return true
    case 'delay-headers':
      if (await pause(fault.ms, closedSignal(reply.raw))) return false
      reply.hijack() // the client left while we waited: nothing to answer
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

/** What a stream must do given its fault: chunk delay, and where to stall or drop. */
export function streamPlan (fault: Fault | undefined, defaultChunkDelayMs: number): StreamPlan {
  return {
    chunkDelayMs: fault?.kind === 'chunk-delay' ? fault.ms : defaultChunkDelayMs,
    stallAfter: fault?.kind === 'stall' ? fault.afterChunks : undefined,
    dropAfter: fault?.kind === 'drop' ? fault.afterChunks : undefined,
    ...(fault?.kind === 'error-event' ? { errorAfter: fault.afterChunks, errorEvent: fault.body } : {})
  }
}
