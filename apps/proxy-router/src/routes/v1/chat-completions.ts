import type { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { SwitchyardError } from '@switchyard/errors'
import { clientAbortSignal, ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { relaySse, sseErrorEvent } from '@switchyard/sse'
import { callProvider, type ProviderResult } from '../../providers/call-provider.js'
import { adapterFor } from '../../providers/registry.js'
import { classifyTransportError } from '../../routing/classify-upstream-error.js'
import { resolveDeployments } from '../../routing/resolve-deployments.js'
import type { RoutingTable } from '../../routing/routing-table.js'
import { trackUpstreamFailure } from '../../error-tracking/upstream-failure.js'
import { ChatCompletionRequestSchema, ChatCompletionResponseSchema } from '../../schemas/chat-completion.js'

export interface ChatCompletionsOptions {
  routes: RoutingTable
}

/**
 * POST /v1/chat/completions: alias → deployment → one provider call through the origin's pool.
 * Non-streaming answers are parsed and re-sent; streams are relayed as they arrive. Failures are
 * thrown as catalogue errors (the error handler writes the envelope), except mid-stream, where
 * the headers are gone and a final SSE error event is the only way left to explain.
 */
export const chatCompletionsRoute: FastifyPluginAsyncTypebox<ChatCompletionsOptions> = async (app, opts) => {
  app.post('/chat/completions', {
    schema: {
      body: ChatCompletionRequestSchema,
      response: {
        200: {
          description: 'The completion (JSON), or with stream: true the provider\'s SSE relayed as it arrives',
          content: {
            'application/json': { schema: ChatCompletionResponseSchema },
            // Sent as a Node stream, never serialized: the schema documents, the type is the stream.
            'text/event-stream': { schema: Type.Unsafe<Readable>({ type: 'string', description: 'data: <chunk JSON> events, ending with data: [DONE]' }) }
          }
        },
        '4xx': ErrorEnvelopeSchema,
        '5xx': ErrorEnvelopeSchema
      }
    }
  }, async (request, reply) => {
    const body = request.body
    // Retries and fallbacks (a later issue) will walk this ordered list; today the first serves.
    const [deployment] = resolveDeployments(opts.routes, body.model) ?? []
    if (deployment === undefined) throw new SwitchyardError('MODEL_NOT_FOUND', { details: { model: body.model } })
    const provider = deployment.provider

    // Not request.signal: on Node 20 it fires once the POST body is read (docs/adr/0006).
    const signal = clientAbortSignal(reply)
    let result: ProviderResult
    try {
      result = await callProvider({
        dispatcher: app.upstream.dispatcherFor(provider.origin),
        adapter: adapterFor(provider.type),
        deployment,
        op: 'chat.completions',
        body,
        requestId: request.id,
        signal
      })
    } catch (err) {
      if (signal.aborted) {
        // The gateway hung up (its client left); the provider call is already cancelled.
        request.log.info({ provider: provider.id }, 'client disconnected before the provider answered')
        return reply.hijack()
      }
      trackUpstreamFailure(app.errorTracker, err, deployment, 1)
      throw err
    }

    void reply.header('x-switchyard-provider', provider.id).header('x-switchyard-model', deployment.model)
    if (result.kind === 'json') return result.body

    const relay = relaySse(result.body, (err) => {
      if (signal.aborted) return undefined
      const swErr = classifyTransportError(provider.id, err, result.status)
      trackUpstreamFailure(app.errorTracker, swErr, deployment, 1)
      request.log.info({ err, code: swErr.code, provider: provider.id }, 'provider stream failed after the first byte')
      return sseErrorEvent(swErr, request.id)
    })
    return reply
      .code(200)
      .header('content-type', 'text/event-stream')
      .header('cache-control', 'no-cache')
      .send(relay)
  })
}
