import type { DependencyState, ProbeHistory, ProbeRound } from './probe-history.js'

/** What `/status.json` answers and the status page shows. */
export interface StatusSnapshot {
  generatedAt: string
  version: string
  overall: 'healthy' | 'unhealthy'
  dependencies: DependencyState[]
  history: ProbeRound[]
}

export function snapshotOf (history: ProbeHistory, version: string): StatusSnapshot {
  const dependencies = history.states()
  return {
    generatedAt: new Date().toISOString(),
    version,
    overall: dependencies.every((d) => d.ok) ? 'healthy' : 'unhealthy',
    dependencies,
    history: history.rounds()
  }
}
