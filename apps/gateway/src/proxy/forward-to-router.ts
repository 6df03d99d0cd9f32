import { SwitchyardError } from '@switchyard/errors'
import { clientAbortSignal } from '@switchyard/fastify-kit'
import { bodyText, type StreamResponse, type WholeResponse } from '@switchyard/http-client'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { RequestOutcome } from '../usage/request-outcome.js'
import { usageOfJson } from '../usage/usage-parser.js'
import { usageOfHeader } from '../usage/usage-header.js'
import { callRouter, callRouterWhole, type RouterCall } from './call-router.js'

// What the metered routes (chat completions, embeddings) share around callRouter: the client's
// disconnect as the abort signal, the serving deployment noted in the usage outcome, and the
// relay of a whole JSON answer.

export interface Forwarded<Res> {
  res: Res
  /** Fires when the client goes away (the router call is then cancelled). */
  signal: AbortSignal
  /** Stops without an answer: nobody is listening, and the accounting hook has recorded it. */
  clientLeft: () => FastifyReply
}

function header (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export interface ForwardCall {
  path: string
  /** The body's text: the client's bytes (jsonBodyText), never serialised again. */
  body: string
  outcome: RequestOutcome
  internalToken: string
}

type Send<Res> = (app: FastifyInstance, request: FastifyRequest, call: RouterCall, internalToken: string) => Promise<Res>

async function forward<Res> (send: Send<Res>, app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, call: ForwardCall): Promise<Forwarded<Res> | undefined> {
  const signal = clientAbortSignal(reply)
  const clientLeft = (): FastifyReply => {
    request.log.info('client disconnected before the answer was complete')
    return reply.hijack()
  }
  let res: Res
  try {
    res = await send(app, request, {
      method: 'POST',
      path: call.path,
      body: call.body,
      signal,
      reply,
      onTrace: (raw) => { call.outcome.trace = raw },
      // Noted on arrival: the usage row names the serving deployment even if the body then fails.
      onHeaders: (headers) => {
        call.outcome.provider = header(headers['x-switchyard-provider'])
        call.outcome.deployment = header(headers['x-switchyard-deployment'])
      }
    }, call.internalToken)
  } catch (err) {
    if (signal.aborted) {
      clientLeft()
      return undefined
    }
    throw err
  } finally {
    // Sent (or failed): the text is not held for the rest of a request that may stream for minutes.
    request.rawJsonBody = null
  }
  return { res, signal, clientLeft }
}

/**
 * POSTs the request to the router for a streamed answer. Resolves with its 2xx answer, body not
 * yet read (the x-switchyard-* headers already on the reply, provider and deployment in the
 * outcome), or with undefined when the client left first (the reply is then hijacked: return
 * it). Router errors are thrown as the router explained them.
 */
export async function forwardToRouter (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, call: ForwardCall): Promise<Forwarded<StreamResponse> | undefined> {
  return await forward(callRouter, app, request, reply, call)
}

/** forwardToRouter for a JSON answer: resolves once the whole body has arrived. */
export async function forwardWholeToRouter (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, call: ForwardCall): Promise<Forwarded<WholeResponse> | undefined> {
  return await forward(callRouterWhole, app, request, reply, call)
}

/**
 * A whole JSON answer of the router (a completion, an embedding list) to the client, as the
 * provider sent it. The router reports its usage in `x-switchyard-usage` (it parsed the answer
 * already), so the bytes are relayed untouched, never decoded or parsed here; without that
 * header (an older router) the body is checked to be JSON and its usage taken from it.
 */
export function relayJsonAnswer (forwarded: Forwarded<WholeResponse>, reply: FastifyReply, outcome: RequestOutcome): FastifyReply {
  const { body, headers } = forwarded.res
  const reported = usageOfHeader(headers['x-switchyard-usage'])
  if (reported !== undefined) {
    outcome.usage = reported
  } else {
    let parsed: unknown
    try {
      parsed = JSON.parse(bodyText(body))
    } catch (err) {
      throw new SwitchyardError('PROVIDER_BAD_RESPONSE', { details: { provider: outcome.provider ?? 'unknown' }, cause: err })
    }
    outcome.usage = usageOfJson(parsed)
  }
  outcome.firstByteAt = performance.now()
  return reply.code(200).type('application/json; charset=utf-8').send(body)
}
