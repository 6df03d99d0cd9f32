import type { FastifyPluginAsync } from 'fastify'
import { buildChunks, buildCompletion, type CompletionMeta } from '../completion.js'
import { sendEventStream } from '../http/event-stream.js'
import { completionId, nowSeconds } from '../ids.js'
import { modelNotFoundBody } from '../openai/error-bodies.js'
import { planReply } from '../reply.js'
import { ChatCompletionRequestSchema, type ChatCompletionRequest } from '../schemas/chat-completion-request.js'
import { countPromptTokens } from '../tokens.js'
import { actOutFault, streamPlan } from './act-out-fault.js'
import type { RouteOptions } from './context.js'

/**
 * `POST /v1/chat/completions`: a deterministic completion (or SSE stream) derived from the
 * request, unless the request's fault says otherwise. Streams are written on the hijacked raw
 * response because the mock must control the wire byte by byte (flush headers before any chunk,
 * cut the socket between two chunks), which `reply.send(stream)` does not allow.
 */
export const chatCompletionsRoute: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.post<{ Body: ChatCompletionRequest }>('/chat/completions', {
    schema: { body: ChatCompletionRequestSchema }
  }, async (request, reply) => {
    const body = request.body
    if (ctx.strictModels && !ctx.models.includes(body.model)) return reply.code(404).send(modelNotFoundBody(body.model))
    const streaming = body.stream === true
    const fault = ctx.state.faults.take()
    if (await actOutFault(fault, reply, streaming)) return reply

    const planned = planReply(ctx.reply(body), body.max_completion_tokens ?? body.max_tokens)
    const meta: CompletionMeta = { id: completionId(), created: nowSeconds(), model: body.model, promptTokens: countPromptTokens(body.messages) }
    if (!streaming) return buildCompletion(meta, planned)

    reply.hijack()
    const chunks = buildChunks(meta, planned, body.stream_options?.include_usage === true)
    await sendEventStream(reply.raw, reply.getHeaders(), chunks, streamPlan(fault, ctx.chunkDelayMs))
    return reply
  })
}
