import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SwitchyardError } from '@switchyard/errors'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import type { RouterConfig } from '../../config.js'
import { EmbeddingsRequestSchema, EmbeddingsResponseSchema } from '../../schemas/embeddings.js'
import { relayJson } from './relay-json.js'
import { attemptSettingsOf, runAttemptsFor } from './run-attempts-for.js'

export interface EmbeddingsOptions {
  config: RouterConfig
  /** [0, 1) for jitter and weighted choice; Math.random by default. */
  random?: (() => number) | undefined
}

/**
 * POST /v1/embeddings: alias → the same attempt loop as chat completions (retries, fallbacks,
 * cooldowns, one deadline) → the provider's embedding list as received. Deployments whose
 * provider has no embeddings API (Anthropic) are skipped with OPERATION_NOT_SUPPORTED.
 */
export const embeddingsRoute: FastifyPluginAsyncTypebox<EmbeddingsOptions> = async (app, opts) => {
  const { config } = opts
  const settings = attemptSettingsOf(config)

  app.post('/embeddings', {
    schema: {
      body: EmbeddingsRequestSchema,
      response: { 200: EmbeddingsResponseSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema }
    }
  }, async (request, reply) => {
    const body = request.body
    const run = await runAttemptsFor({ app, request, reply, settings, random: opts.random, routes: config.routes, op: 'embeddings', body })
    if (run === undefined) return reply
    const { result } = run.served
    // Never a stream for embeddings (wantsStream); the union is the loop's, not this route's.
    if (result.kind !== 'json') throw new SwitchyardError('INTERNAL_ERROR', { cause: new Error('embeddings answered as a stream') })
    return relayJson(reply, result)
  })
}
