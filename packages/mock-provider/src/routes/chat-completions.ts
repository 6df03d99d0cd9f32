import type { FastifyPluginAsync } from 'fastify'
import { buildChunks, buildCompletion, type CompletionMeta } from '../completion.js'
import { sendEventStream } from '../http/event-stream.js'
import { completionId, nowSeconds } from '../ids.js'
import { DirectiveError, readDirectives, replyOfWords, type RequestDirectives } from '../directives/request-directives.js'
import { closedSignal, pause } from '../http/response-lifecycle.js'
import { invalidRequestBody, modelNotFoundBody } from '../openai/error-bodies.js'
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
    let directives: RequestDirectives = {}
    if (ctx.directives) {
      try {
        directives = readDirectives(body)
      } catch (err) {
        if (!(err instanceof DirectiveError)) throw err
        return reply.code(400).send(invalidRequestBody(err.message, err.param, 'invalid_value'))
      }
      // Before the fault: a directive's delay is the provider thinking, whatever happens next.
      if (directives.delayMs !== undefined && !(await pause(directives.delayMs, closedSignal(reply.raw)))) return reply.hijack()
    }
    const fault = ctx.state.faults.take()
    if (await actOutFault(fault, reply, streaming)) return reply

    const text = directives.completionTokens === undefined ? ctx.reply(body) : replyOfWords(directives.completionTokens)
    const planned = planReply(text, body.max_completion_tokens ?? body.max_tokens)
    const meta: CompletionMeta = { id: completionId(), created: nowSeconds(), model: body.model, promptTokens: countPromptTokens(body.messages) }
    if (!streaming) return buildCompletion(meta, planned)

    reply.hijack()
    const chunks = buildChunks(meta, planned, body.stream_options?.include_usage === true)
    await sendEventStream(reply.raw, reply.getHeaders(), chunks, streamPlan(fault, directives.chunkIntervalMs ?? ctx.chunkDelayMs))
    return reply
  })
}
