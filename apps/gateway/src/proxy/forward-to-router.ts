import { SwitchyardError } from '@switchyard/errors'
import { clientAbortSignal } from '@switchyard/fastify-kit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Dispatcher } from 'undici'
import type { RequestOutcome } from '../usage/request-outcome.js'
import { usageOfJson } from '../usage/usage-parser.js'
import { usageOfHeader } from '../usage/usage-header.js'
import { callRouter, readRouterBody, readRouterBytes } from './call-router.js'

// What the metered routes (chat completions, embeddings) share around callRouter: the client's
// disconnect as the abort signal, the serving deployment noted in the usage outcome, and the
// relay of a whole JSON answer.

export interface Forwarded {
  res: Dispatcher.ResponseData
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

/**
 * POSTs the request to the router. Resolves with its 2xx answer (the x-switchyard-* headers
 * already on the reply, provider and deployment in the outcome), or with undefined when the
 * client left first (the reply is then hijacked: return it). Router errors are thrown as the
 * router explained them.
 */
export async function forwardToRouter (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, call: ForwardCall): Promise<Forwarded | undefined> {
  const signal = clientAbortSignal(reply)
  const clientLeft = (): FastifyReply => {
    request.log.info('client disconnected before the answer was complete')
    return reply.hijack()
  }
  let res: Dispatcher.ResponseData
  try {
    res = await callRouter(app, request, { method: 'POST', path: call.path, body: call.body, signal, reply, onTrace: (raw) => { call.outcome.trace = raw } }, call.internalToken)
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
  call.outcome.provider = header(res.headers['x-switchyard-provider'])
  call.outcome.deployment = header(res.headers['x-switchyard-deployment'])
  return { res, signal, clientLeft }
}

/**
 * A whole JSON answer of the router (a completion, an embedding list) to the client, as the
 * provider sent it. The router reports its usage in `x-switchyard-usage` (it parsed the answer
 * already), so the bytes are relayed untouched, never decoded or parsed here; without that
 * header (an older router) the body is read, checked to be JSON and its usage taken from it.
 */
export async function relayJsonAnswer (forwarded: Forwarded, reply: FastifyReply, outcome: RequestOutcome): Promise<FastifyReply> {
  const reported = usageOfHeader(forwarded.res.headers['x-switchyard-usage'])
  let payload: string | Buffer
  try {
    payload = reported === undefined ? await readRouterBody(forwarded.res) : await readRouterBytes(forwarded.res)
  } catch (err) {
    if (forwarded.signal.aborted) return forwarded.clientLeft()
    throw err
  }
  if (reported !== undefined) {
    outcome.usage = reported
  } else {
    let parsed: unknown
    try {
      parsed = JSON.parse(payload as string)
    } catch (err) {
      throw new SwitchyardError('PROVIDER_BAD_RESPONSE', { details: { provider: outcome.provider ?? 'unknown' }, cause: err })
    }
    outcome.usage = usageOfJson(parsed)
  }
  outcome.firstByteAt = performance.now()
  return reply.code(200).type('application/json; charset=utf-8').send(payload)
}
