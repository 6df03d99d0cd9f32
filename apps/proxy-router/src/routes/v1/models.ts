import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import type { RoutingTable } from '../../routing/routing-table.js'
import { ModelListSchema, type ModelList } from '../../schemas/models.js'

export interface ModelsRouteOptions {
  routes: RoutingTable
  /** Unix seconds at boot: the table is loaded once, so that is when these models appeared. */
  bootedAt: number
}

/**
 * GET /v1/models: every routable alias (the table's `models` never holds one whose deployments
 * were all skipped), owned by its first deployment's provider.
 */
export const modelsRoute: FastifyPluginAsyncTypebox<ModelsRouteOptions> = async (app, opts) => {
  const list: ModelList = {
    object: 'list',
    data: [...opts.routes.models].map(([alias, deployments]) => ({
      id: alias,
      object: 'model' as const,
      created: opts.bootedAt,
      owned_by: deployments[0]?.provider.id ?? 'unknown'
    }))
  }
  app.get('/models', {
    schema: { response: { 200: ModelListSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema } }
  }, async () => list)
}
