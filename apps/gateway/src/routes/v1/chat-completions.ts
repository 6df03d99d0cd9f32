import { pipeline } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError } from '@switchyard/errors'
import { clientAbortSignal, ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { relaySse, sseErrorEvent } from '@switchyard/sse'
import { callRouter, readRouterBody, routerTransportError } from '../../proxy/call-router.js'
import { recordUsage } from '../../proxy/record-usage.js'
import { SseUsageTap, type StreamUsage } from '../../proxy/sse-usage-tap.js'
import { ChatCompletionRequestSchema, PassThroughResponseSchema } from '../../schemas/chat-completion.js'

export interface ChatCompletionsOptions {
  internalToken: string
}

function header (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function usageOf (body: unknown): StreamUsage | undefined {
  const u = (body as { usage?: { prompt_tokens?: number, completion_tokens?: number, total_tokens?: number } } | null)?.usage
  if (u === undefined || u === null) return undefined
  const prompt = u.prompt_tokens ?? 0
  const completion = u.completion_tokens ?? 0
  return { promptTokens: prompt, completionTokens: completion, totalTokens: u.total_tokens ?? prompt + completion }
}

/**
 * POST /v1/chat/completions: forwards to the proxy-router and accounts usage. Streams are passed
 * through event by event (never buffered); a client that disconnects aborts the router call, which
 * aborts the provider call.
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
    const startedAt = performance.now()
    const outcome = { model: body.model, provider: undefined as string | undefined, usage: undefined as StreamUsage | undefined, streamed, startedAt }

    const signal = clientAbortSignal(reply)
    // The client left before the answer was complete: the router call is already cancelled and
    // nobody is listening, so account for it and stop (no error response, no error log).
    const clientLeft = () => {
      recordUsage(app, request, { ...outcome, statusCode: 499, errorCode: 'CLIENT_DISCONNECTED' })
      request.log.info('client disconnected before the answer was complete')
      return reply.hijack()
    }
    let res
    try {
      res = await callRouter(app, request, { method: 'POST', path: '/v1/chat/completions', body, signal, reply }, opts.internalToken)
    } catch (err) {
      if (signal.aborted) return clientLeft()
      if (err instanceof SwitchyardError) {
        recordUsage(app, request, { ...outcome, statusCode: err.statusCode, errorCode: err.code })
      }
      throw err
    }
    outcome.provider = header(res.headers['x-switchyard-provider'])

    if (!streamed) {
      let text: string
      try {
        text = await readRouterBody(res)
      } catch (err) {
        if (signal.aborted) return clientLeft()
        throw err
      }
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch (err) {
        const badResponse = new SwitchyardError('PROVIDER_BAD_RESPONSE', { details: { provider: outcome.provider ?? 'unknown' }, cause: err })
        recordUsage(app, request, { ...outcome, statusCode: badResponse.statusCode, errorCode: badResponse.code })
        throw badResponse
      }
      recordUsage(app, request, { ...outcome, usage: usageOf(parsed), statusCode: 200, errorCode: undefined })
      return reply.code(200).type('application/json; charset=utf-8').send(text)
    }

    // The router explains provider failures in-stream itself; if the router connection itself
    // breaks after the first byte, the relay ends the stream with one error event of our own.
    const relay = relaySse(res.body, (err) => {
      if (signal.aborted) return undefined
      const swErr = routerTransportError(err)
      if (!(swErr instanceof SwitchyardError)) return undefined
      request.log.warn({ err, code: swErr.code }, 'proxy-router stream failed after the first byte')
      return sseErrorEvent(swErr, request.id)
    })
    const tap = new SseUsageTap({ hideUsageChunk: body.stream_options?.include_usage !== true })
    pipeline(relay, tap, () => {
      recordUsage(app, request, {
        ...outcome,
        usage: tap.usage,
        statusCode: 200,
        // Not a catalogue code: marks accounting rows of streams the client abandoned.
        errorCode: tap.errorCode ?? (signal.aborted ? 'CLIENT_DISCONNECTED' : undefined)
      })
    })
    return reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(tap)
  })
}
