import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError } from '@switchyard/errors'
import { ErrorEnvelopeSchema, jsonBodyText } from '@switchyard/fastify-kit'
import { relayInto, sseErrorEvent } from '@switchyard/sse'
import { routerTransportError } from '../../proxy/call-router.js'
import { forwardToRouter, forwardWholeToRouter, relayJsonAnswer } from '../../proxy/forward-to-router.js'
import { ChatCompletionRequestSchema, PassThroughResponseSchema } from '../../schemas/chat-completion.js'
import { SseUsageTap } from '../../usage/sse-usage-tap.js'

export interface ChatCompletionsOptions {
  internalToken: string
}

/**
 * POST /v1/chat/completions: forwards to the proxy-router and relays the answer. Streams are
 * passed through event by event (never buffered); a client that disconnects aborts the router
 * call, which aborts the provider call. The handler only relays: it fills the request's usage
 * outcome, and the accounting hooks (usage/accounting.ts) record it once, however it ends.
 */
export const chatCompletionsRoute: FastifyPluginAsyncTypebox<ChatCompletionsOptions> = async (app, opts) => {
  app.post('/chat/completions', {
    schema: {
      body: ChatCompletionRequestSchema,
      response: { 200: PassThroughResponseSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema }
    }
  }, async (request, reply) => {
    const body = request.body
    const streamed = body.stream === true
    const outcome = app.beginUsage(request, reply, { endpoint: 'chat.completions', model: body.model, streamed, messages: body.messages })

    const call = { path: '/v1/chat/completions', body: jsonBodyText(request), outcome, internalToken: opts.internalToken }
    if (!streamed) {
      const whole = await forwardWholeToRouter(app, request, reply, call)
      return whole === undefined ? reply : relayJsonAnswer(whole, reply, outcome)
    }
    const forwarded = await forwardToRouter(app, request, reply, call)
    if (forwarded === undefined) return reply
    const { res, signal } = forwarded

    // The router explains provider failures in-stream itself; if the router connection itself
    // breaks after the first byte, the tap ends the stream with one error event of our own.
    const tap = new SseUsageTap({
      hideUsage: body.stream_options?.include_usage !== true,
      errorEventFor: (err) => {
        if (signal.aborted) return undefined
        const swErr = routerTransportError(err)
        if (!(swErr instanceof SwitchyardError)) return undefined
        request.log.warn({ err, code: swErr.code }, 'proxy-router stream failed after the first byte')
        return sseErrorEvent(swErr, request.id)
      }
    })
    outcome.stream = tap
    // Failures end the stream (the tap writes the error event; a client abort destroys both);
    // accounting reads the tap when the response closes, so there is nothing to do here.
    relayInto(res.body, tap)
    return reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(tap)
  })
}
