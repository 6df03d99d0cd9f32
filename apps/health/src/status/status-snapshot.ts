import type { OverallStatus } from '../providers/overall-status.js'
import type { ProviderReport } from '../providers/provider-report.js'
import type { RouterErrorGroup } from '../schemas/router-providers.js'
import type { DependencyState, ProbeHistory, ProbeRound } from './probe-history.js'

/** What `/status.json` answers and the status page shows. */
export interface StatusSnapshot {
  generatedAt: string
  version: string
  overall: OverallStatus
  reasons: string[]
  dependencies: DependencyState[]
  history: ProbeRound[]
  /** As of the latest round: the router's view of each provider and recent upstream error groups. */
  providers: ProviderReport[]
  errorGroups: RouterErrorGroup[]
}

export function snapshotOf (history: ProbeHistory, version: string): StatusSnapshot {
  const dependencies = history.states()
  const latest = history.latest()
  return {
    generatedAt: new Date().toISOString(),
    version,
    overall: latest?.status ?? (dependencies.every((d) => d.ok) ? 'healthy' : 'unhealthy'),
    reasons: latest?.reasons ?? [],
    dependencies,
    history: history.rounds(),
    providers: latest?.providers ?? [],
    errorGroups: latest?.errorGroups ?? []
  }
}
