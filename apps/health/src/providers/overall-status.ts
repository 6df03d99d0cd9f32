import type { CheckReport } from '../probes/index.js'
import type { ProviderReport } from './provider-report.js'

// The decision of docs/adr/0025: what makes the system unhealthy (a load balancer should stop
// sending it traffic: 503) versus degraded (it serves, someone should look: 200).

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy'

export interface StatusDecision {
  status: OverallStatus
  /** Why it is not healthy, one short phrase each (empty when healthy). */
  reasons: string[]
}

/**
 * - unhealthy: a critical dependency is down: any check of `checks` (Postgres or the embedded
 *   database, Redis when configured, gateway, proxy-router), or every provider that can serve is
 *   known to be down (the non-optional ones; all of them when every provider is optional);
 * - degraded: everything critical is up but some provider is down or not yet known, a deployment
 *   is cooling down, or the router's provider report could not be read;
 * - healthy: otherwise.
 */
export function decideStatus (checks: Record<string, CheckReport>, providers: readonly ProviderReport[], providerStatus: CheckReport): StatusDecision {
  const critical: string[] = []
  const minor: string[] = []
  for (const [name, check] of Object.entries(checks)) {
    if (!check.ok) critical.push(`${name} down`)
  }
  const required = providers.some((p) => !p.optional) ? providers.filter((p) => !p.optional) : providers
  if (required.length > 0 && required.every((p) => p.state === 'down')) {
    critical.push(required.length === providers.length ? 'no provider reachable' : 'no non-optional provider reachable')
  }
  if (!providerStatus.ok) minor.push(`provider status unavailable (${providerStatus.error ?? 'no answer'})`)
  for (const p of providers) {
    if (p.state === 'down') minor.push(`provider ${p.id} down`)
    else if (p.state === 'unknown' && providerStatus.ok) minor.push(`provider ${p.id} not probed yet`)
    if (p.cooldowns.length > 0) minor.push(`provider ${p.id}: ${p.cooldowns.length} deployment(s) cooling down`)
  }
  if (critical.length > 0) return { status: 'unhealthy', reasons: [...critical, ...minor] }
  if (minor.length > 0) return { status: 'degraded', reasons: minor }
  return { status: 'healthy', reasons: [] }
}
