import type { CheckReport } from '../probes/index.js'
import type { RouterErrorGroup } from '../schemas/router-providers.js'
import type { RouterProvidersResult } from './fetch-router-providers.js'
import { decideStatus, type OverallStatus } from './overall-status.js'
import { providerReports, type KnownProvider, type ProviderReport } from './provider-report.js'

/** One probe round: the dependency checks, the providers as the router sees them, and the verdict. */
export interface HealthRound {
  status: OverallStatus
  reasons: string[]
  checks: Record<string, CheckReport>
  /** The fetch of the router's /internal/providers itself. */
  providerStatus: CheckReport
  providers: ProviderReport[]
  /** Recent upstream error groups (empty when the router could not be asked). */
  errorGroups: RouterErrorGroup[]
}

/**
 * Puts a round together and remembers which providers exist, so that a round where the router
 * cannot be asked still lists them, as `unknown`. Not shared across instances: a restarted
 * health service knows the providers again after its first round with the router up.
 */
export class RoundAssembler {
  #known: KnownProvider[] = []

  assemble (checks: Record<string, CheckReport>, fetched: RouterProvidersResult): HealthRound {
    const { name: _name, ...providerStatus } = fetched.probe
    if (fetched.list !== undefined) this.#known = fetched.list.providers.map((p) => ({ id: p.id, kind: p.kind, optional: p.optional }))
    const providers = providerReports(fetched.list, this.#known)
    const decision = decideStatus(checks, providers, providerStatus)
    return { ...decision, checks, providerStatus, providers, errorGroups: fetched.list?.errorGroups ?? [] }
  }
}
