import { requestLogPlugin } from '@switchyard/fastify-kit'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { requestId } from '../ids.js'
import { defaultReply } from '../reply.js'
import { chatCompletionsRoute } from '../routes/chat-completions.js'
import type { RouteContext } from '../routes/context.js'
import { embeddingsRoute } from '../routes/embeddings.js'
import { MESSAGES_PATH, messagesRoute } from '../routes/messages.js'
import { mockStatsRoute } from '../routes/mock-stats.js'
import { modelsRoute } from '../routes/models.js'
import type { MockState } from '../state.js'
import type { MockProviderOptions } from '../types.js'
import { openAIErrorHandler, openAINotFoundHandler } from './error-handler.js'
import { recordBody, recordRequest, requireApiKey } from './hooks.js'

export const DEFAULT_MODELS: readonly string[] = ['mock-gpt', 'mock-gpt-mini', 'mock-embedding']

/** Large enough for long-context prompts in tests and benchmarks (OpenAI itself allows far more). */
const BODY_LIMIT_BYTES = 32 * 1024 * 1024

/**
 * The mock provider's Fastify app: records every request, checks the key (if configured), serves
 * /v1 routes, and answers every error in OpenAI's shape (Anthropic's on /v1/messages). Never listens.
 */
export function buildMockApp (options: MockProviderOptions, state: MockState): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: requestId,
    // One line per request in the same format as the services (requestLogPlugin below).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    // A stalled stream must not keep close() waiting: close destroys every socket, busy or idle.
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT_BYTES,
    // Validate what was sent, as OpenAI does: no coercion ("true" is not a boolean), no stripping.
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false } }
  })

  void app.register(requestLogPlugin)
  app.addHook('onRequest', recordRequest(state))
  app.addHook('preValidation', recordBody)
  if (options.apiKey !== undefined) {
    // OpenAI's bearer check everywhere but Anthropic's route, which checks x-api-key itself.
    const bearer = requireApiKey(options.apiKey)
    app.addHook('preValidation', async (request, reply) => request.routeOptions.url === MESSAGES_PATH ? undefined : await bearer(request, reply))
  }
  app.setErrorHandler(openAIErrorHandler)
  app.setNotFoundHandler(openAINotFoundHandler)

  const ctx: RouteContext = {
    state,
    models: [...(options.models ?? DEFAULT_MODELS)],
    strictModels: options.strictModels ?? false,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    directives: options.directives ?? false,
    reply: options.reply ?? defaultReply
  }
  void app.register(chatCompletionsRoute, { prefix: '/v1', ctx })
  void app.register(embeddingsRoute, { prefix: '/v1', ctx })
  void app.register(modelsRoute, { prefix: '/v1', ctx })
  void app.register(messagesRoute, { prefix: '/v1', ctx, apiKey: options.apiKey })
  if (ctx.directives) void app.register(mockStatsRoute, { prefix: '/__mock', ctx })
  return app
}
