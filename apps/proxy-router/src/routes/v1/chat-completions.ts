import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { relayInto, sseErrorEvent } from '@switchyard/sse'
import type { RouterConfig } from '../../config.js'
import { trackUpstreamFailure } from '../../error-tracking/upstream-failure.js'
import { ChatCompletionRequestSchema, ChatCompletionResponseSchema } from '../../schemas/chat-completion.js'
import { HeartbeatRelay } from '../../streaming/heartbeat.js'
import { classifyTransportError } from '../../upstream/classify.js'
import { forClient } from '../../upstream/client-detail.js'
import { relayJson } from './relay-json.js'
import { attemptSettingsOf, runAttemptsFor } from './run-attempts-for.js'

export interface ChatCompletionsOptions {
  config: RouterConfig
  /** [0, 1) for jitter and weighted choice; Math.random by default. */
  random?: (() => number) | undefined
}

/**
 * POST /v1/chat/completions: alias → the attempt loop (retries, fallbacks, cooldowns, one
 * deadline) → relay. Non-streaming answers are parsed (checked, usage read) and relayed as the
 * provider's bytes, or re-sent when the adapter translated them; streams are relayed from their
 * held preamble on, once the first content arrived. Failures are thrown as catalogue errors (the
 * error handler writes the envelope), except mid-stream, where the headers are gone and a final
 * SSE error event is the only way left to explain.
 */
export const chatCompletionsRoute: FastifyPluginAsyncTypebox<ChatCompletionsOptions> = async (app, opts) => {
  const { config } = opts
  const settings = attemptSettingsOf(config)

  app.post('/chat/completions', {
    schema: {
      body: ChatCompletionRequestSchema,
      response: {
        200: {
          description: 'The completion (JSON), or with stream: true the provider\'s SSE relayed as it arrives',
          content: {
            'application/json': { schema: ChatCompletionResponseSchema },
            // Sent as a Node stream, never serialized: the schema documents, the type is the stream.
            'text/event-stream': { schema: Type.Unsafe<Readable>({ type: 'string', description: 'data: <chunk JSON> events, ending with data: [DONE]; `: ping` comments while quiet' }) }
          }
        },
        '4xx': ErrorEnvelopeSchema,
        '5xx': ErrorEnvelopeSchema
      }
    }
  }, async (request, reply) => {
    const body = request.body

    const run = await runAttemptsFor({ app, request, reply, settings, random: opts.random, routes: config.routes, op: 'chat.completions', body })
    if (run === undefined) return reply
    const { served, signal } = run
    const { deployment, result } = served
    if (result.kind === 'json') return relayJson(reply, result)

    const out = relayInto(result.body, new HeartbeatRelay((err) => {
      if (signal.aborted) return undefined
      // After content reached the gateway: no second attempt, one final error event.
      const swErr = classifyTransportError(deployment.provider.id, err, result.status)
      trackUpstreamFailure(app.errorTracker, swErr, deployment, served.attempts)
      request.log.info({ err, code: swErr.code, deployment: deployment.id }, 'provider stream failed after the first content')
      return sseErrorEvent(forClient(swErr, config.UPSTREAM_ERROR_DETAIL), request.id)
    }, config.SSE_HEARTBEAT_MS), result.held)
    // The client leaving destroys `out`, which destroys the provider's body, which closes the
    // provider connection (the relay is a ReadThrough, packages/sse).
    return reply
      .code(200)
      .header('content-type', 'text/event-stream')
      .header('cache-control', 'no-cache')
      .send(out)
  })
}
