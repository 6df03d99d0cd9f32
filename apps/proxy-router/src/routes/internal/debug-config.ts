import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { maskConfig, maskSecret, type MaskedSecret } from '@switchyard/config'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import { RouterEnvSchema, type RouterConfig } from '../../config.js'
import type { RoutingTable } from '../../routing/routing-table.js'

export interface DebugConfigRouteOptions {
  config: RouterConfig
}

/** The routing table as an operator may see it: provider keys masked like every other secret. */
export function maskedRoutingTable (routes: RoutingTable): {
  providers: Array<{ id: string, type: string, baseUrl: string, apiKey: MaskedSecret }>
  models: Record<string, Array<{ id: string, priority: number, weight: number }>>
  skippedProviders: Array<{ id: string, apiKeyEnv: string }>
} {
  return {
    // baseUrl is safe to show: the table refuses credentials and queries in it (routing-table.ts).
    providers: [...routes.providers.values()].map((p) => ({ id: p.id, type: p.type, baseUrl: p.baseUrl, apiKey: maskSecret(p.apiKey) })),
    models: Object.fromEntries([...routes.models].map(([alias, deployments]) =>
      [alias, deployments.map((d) => ({ id: d.id, priority: d.priority, weight: d.weight }))])),
    skippedProviders: routes.skippedProviders.map((s) => ({ id: s.id, apiKeyEnv: s.apiKeyEnv }))
  }
}

const DebugConfigSchema = Type.Object({
  service: Type.Literal('proxy-router'),
  version: Type.String(),
  node: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  routingTable: Type.Unknown()
})

/**
 * GET /internal/debug/config (internal token only): this router's effective configuration with
 * every secret masked (`{ set, sha256 }`, docs/debugging.md), and its routing table with the
 * provider keys masked the same way. The gateway's GET /v1/debug/config shows it to admins.
 */
export const debugConfigRoute: FastifyPluginAsyncTypebox<DebugConfigRouteOptions> = async (app, opts) => {
  // Computed once: the configuration is frozen at boot.
  const body = {
    service: 'proxy-router' as const,
    version: opts.config.version,
    node: process.version,
    config: maskConfig(RouterEnvSchema, opts.config),
    routingTable: maskedRoutingTable(opts.config.routes)
  }
  app.get('/debug/config', {
    schema: { response: { 200: DebugConfigSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema } }
  }, async () => body)
}
