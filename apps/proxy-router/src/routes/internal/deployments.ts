import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import type { RoutingTable } from '../../routing/routing-table.js'
import { DeploymentListSchema, type DeploymentList } from '../../schemas/deployments.js'

export interface DeploymentsRouteOptions {
  routes: RoutingTable
}

/**
 * GET /internal/deployments (internal token): every deployment of the routing table with its
 * cooldown state, for health and the status page. Ids only (`provider/model`), never a host.
 */
export const deploymentsRoute: FastifyPluginAsyncTypebox<DeploymentsRouteOptions> = async (app, opts) => {
  const aliasesOf = new Map<string, string[]>()
  for (const [alias, deployments] of opts.routes.models) {
    for (const d of deployments) aliasesOf.set(d.id, [...(aliasesOf.get(d.id) ?? []), alias])
  }
  const ids = [...aliasesOf.keys()]
  app.get('/deployments', {
    schema: { response: { 200: DeploymentListSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema } }
  }, async (): Promise<DeploymentList> => ({
    deployments: app.cooldowns.snapshot(ids).map((s) => ({
      id: s.deployment,
      models: aliasesOf.get(s.deployment) ?? [],
      state: s.state,
      recentFailures: s.recentFailures,
      ...(s.until === undefined ? {} : { until: new Date(s.until).toISOString() }),
      ...(s.reason === undefined ? {} : { reason: s.reason })
    }))
  }))
}
