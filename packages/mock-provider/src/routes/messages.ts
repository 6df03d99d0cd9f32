import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { requireAnthropicHeaders } from '../anthropic/auth.js'
import { anthropicErrorBody, apiErrorBody, genericAnthropicStatusBody, modelNotFoundBody } from '../anthropic/error-bodies.js'
import { asChatRequest, errorEvent, messageEvents, planMessage } from '../anthropic/message.js'
import { sendSseEvents } from '../http/event-stream.js'
import { MessagesRequestSchema, type MessagesRequest } from '../schemas/messages-request.js'
import type { ChatCompletionRequest } from '../schemas/chat-completion-request.js'
import { actOutFault, streamPlan } from './act-out-fault.js'
import type { RouteOptions } from './context.js'

/** The path of this route; the OpenAI bearer check (app/hooks.ts) leaves it to its own checks. */
export const MESSAGES_PATH = '/v1/messages'

export interface MessagesRouteOptions extends RouteOptions {
  apiKey: string | undefined
}

/** Every failure in this context leaves in Anthropic's shape, validation included. */
function anthropicErrorHandler (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.validation !== undefined) {
    const issue = err.validation[0]
    const path = issue?.instancePath.slice(1).replaceAll('/', '.') ?? ''
    const missing = issue?.keyword === 'required' ? String(issue.params['missingProperty']) : undefined
    const field = [path, missing].filter((p) => p !== undefined && p !== '').join('.')
    const message = missing === undefined ? `${field === '' ? 'body' : field}: ${issue?.message ?? 'invalid'}` : `${field}: Field required`
    return reply.code(400).send(anthropicErrorBody('invalid_request_error', message))
  }
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) return reply.code(status).send(anthropicErrorBody('invalid_request_error', err.message))
  request.log.error({ err }, 'mock provider failed')
  return reply.code(500).send(apiErrorBody())
}

/**
 * `POST /v1/messages`: Anthropic's Messages API (anthropic-version 2023-06-01). A deterministic
 * message (text, or a tool_use when the request has tools; see anthropic/message.ts), or with
 * `stream: true` its full event sequence, unless the request's fault says otherwise. Faults are
 * shared with the OpenAI routes; status faults without a body answer Anthropic's error body for
 * that status, and a `stream-error` fault sends `event: error` (529 → overloaded_error).
 */
export const messagesRoute: FastifyPluginAsync<MessagesRouteOptions> = async (app, { ctx, apiKey }) => {
  app.setErrorHandler(anthropicErrorHandler)
  app.post<{ Body: MessagesRequest }>('/messages', {
    schema: { body: MessagesRequestSchema },
    preValidation: requireAnthropicHeaders(apiKey)
  }, async (request, reply) => {
    const body = request.body
    if (ctx.strictModels && !ctx.models.includes(body.model)) return reply.code(404).send(modelNotFoundBody(body.model))
    const streaming = body.stream === true
    const fault = ctx.state.faults.take()
    if (await actOutFault(fault, reply, streaming, genericAnthropicStatusBody)) return reply

    // The reply option takes the OpenAI request shape; the mock gives it the same conversation.
    const planned = planMessage(body, ctx.reply(asChatRequest(body) as ChatCompletionRequest))
    void reply.header('request-id', request.id)
    if (!streaming) return planned.message

    reply.hijack()
    const plan = streamPlan(fault, ctx.chunkDelayMs, (status) => errorEvent(genericAnthropicStatusBody(status ?? 529)))
    await sendSseEvents(reply.raw, reply.getHeaders(), messageEvents(planned), plan)
    return reply
  })
}
