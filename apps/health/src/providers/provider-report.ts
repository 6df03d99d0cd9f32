import type { RouterProvider, RouterProviderList } from '../schemas/router-providers.js'

/** One provider in /v1/health: reachable or not, since when, why, and what real traffic saw. */
export interface ProviderReport {
  id: string
  kind: string
  optional: boolean
  /** The router's last probe of the provider's model list; `unknown` before the first or when the router cannot be asked. */
  state: 'up' | 'down' | 'unknown'
  reachable: boolean
  latencyMs: number | null
  checkedAt: string | null
  since: string | null
  error: { code: string, message: string } | null
  /** Real traffic over the router's recent window (5 min): attempts, failed attempts, their ratio. */
  requests: number
  failures: number
  errorRate: number
  lastError: { code: string, message: string, at: string } | null
  /** Deployments of this provider the router skips for now. */
  cooldowns: Array<{ deployment: string, until: string | null, reason: string | null }>
}

/** What is remembered of a provider between rounds, to list it as `unknown` while the router cannot be asked. */
export interface KnownProvider {
  id: string
  kind: string
  optional: boolean
}

function fromRouter (p: RouterProvider): ProviderReport {
  return {
    id: p.id,
    kind: p.kind,
    optional: p.optional,
    state: p.probe.state,
    reachable: p.probe.state === 'up',
    latencyMs: p.probe.latencyMs === null ? null : Math.max(0, Math.round(p.probe.latencyMs)),
    checkedAt: p.probe.checkedAt,
    since: p.probe.since,
    error: p.probe.error,
    requests: p.traffic.requests,
    failures: p.traffic.failures,
    errorRate: Math.min(1, Math.max(0, p.traffic.errorRate)),
    lastError: p.traffic.lastError,
    cooldowns: p.deployments.filter((d) => d.coolingDownUntil !== null).map((d) => ({ deployment: d.id, until: d.coolingDownUntil, reason: d.reason }))
  }
}

function unknown (p: KnownProvider): ProviderReport {
  return {
    ...p,
    state: 'unknown',
    reachable: false,
    latencyMs: null,
    checkedAt: null,
    since: null,
    error: null,
    requests: 0,
    failures: 0,
    errorRate: 0,
    lastError: null,
    cooldowns: []
  }
}

/** The router's answer as reports, or, when there is none, the providers known from before as `unknown`. */
export function providerReports (list: RouterProviderList | undefined, known: readonly KnownProvider[]): ProviderReport[] {
  return list === undefined ? known.map(unknown) : list.providers.map(fromRouter)
}
