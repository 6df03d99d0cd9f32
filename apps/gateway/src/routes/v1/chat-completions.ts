import { pipeline } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError } from '@switchyard/errors'
import { clientAbortSignal, ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { callRouter } from '../../proxy/call-router.js'
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

    let res
    try {
      res = await callRouter(app, request, { method: 'POST', path: '/v1/chat/completions', body, signal: clientAbortSignal(reply) }, opts.internalToken)
    } catch (err) {
      if (err instanceof SwitchyardError) {
        recordUsage(app, request, { ...outcome, statusCode: err.statusCode, errorCode: err.code })
      }
      throw err
    }
    outcome.provider = header(res.headers['x-switchyard-provider'])

    if (!streamed) {
      const text = await res.body.text()
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

    const tap = new SseUsageTap({ hideUsageChunk: body.stream_options?.include_usage !== true })
    pipeline(res.body, tap, (err) => {
      recordUsage(app, request, {
        ...outcome,
        usage: tap.usage,
        statusCode: 200,
        errorCode: tap.errorCode ?? (err === undefined || err === null ? undefined : 'STREAM_ABORTED')
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
