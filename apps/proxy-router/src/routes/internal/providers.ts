import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorEnvelopeSchema } from '@switchyard/fastify-kit'
import type { RoutingTable } from '../../routing/routing-table.js'
import { ProviderListSchema, type ProviderList } from '../../schemas/providers.js'

export interface ProvidersRouteOptions {
  routes: RoutingTable
}

const iso = (ms: number | undefined): string | null => ms === undefined ? null : new Date(ms).toISOString()

/**
 * GET /internal/providers (internal or health token): per provider its last probe, its real
 * traffic and its deployments' cooldowns, plus recent upstream error groups. Never waits on a
 * provider: a stale probe is started in the background and this answer has the last known state
 * (`unknown` until the first probe finished). Ids and codes only, never a host or a key.
 */
export const providersRoute: FastifyPluginAsyncTypebox<ProvidersRouteOptions> = async (app, opts) => {
  const deploymentsOf = new Map<string, Array<{ id: string, model: string }>>()
  for (const deployments of opts.routes.models.values()) {
    for (const d of deployments) {
      const list = deploymentsOf.get(d.provider.id) ?? []
      if (!list.some((x) => x.id === d.id)) list.push({ id: d.id, model: d.model })
      deploymentsOf.set(d.provider.id, list)
    }
  }
  app.get('/providers', {
    schema: { response: { 200: ProviderListSchema, '4xx': ErrorEnvelopeSchema, '5xx': ErrorEnvelopeSchema } }
  }, async (): Promise<ProviderList> => {
    const { probes, traffic, errorGroups } = app.providerHealth
    void probes.refreshStale()
    const providers = [...opts.routes.providers.values()].map((p) => {
      const probe = probes.state(p.id)
      const t = traffic.snapshot(p.id)
      const own = deploymentsOf.get(p.id) ?? []
      const cooldowns = new Map(app.cooldowns.snapshot(own.map((d) => d.id)).map((s) => [s.deployment, s]))
      return {
        id: p.id,
        kind: p.type,
        optional: p.optional === true,
        probe: {
          state: probe.state,
          checkedAt: iso(probe.checkedAt),
          latencyMs: probe.latencyMs ?? null,
          since: iso(probe.since),
          error: probe.error ?? null
        },
        traffic: {
          requests: t.requests,
          failures: t.failures,
          errorRate: t.errorRate,
          lastError: t.lastError === undefined ? null : { code: t.lastError.code, message: t.lastError.message, at: new Date(t.lastError.at).toISOString() }
        },
        deployments: own.map((d) => {
          const s = cooldowns.get(d.id)
          const cooling = s?.state === 'cooling_down'
          return { id: d.id, model: d.model, coolingDownUntil: cooling ? iso(s.until) : null, reason: cooling ? s.reason ?? null : null }
        })
      }
    })
    return {
      providers,
      errorGroups: errorGroups.list().map((g) => ({ ...g, firstSeen: new Date(g.firstSeen).toISOString(), lastSeen: new Date(g.lastSeen).toISOString() }))
    }
  })
}
