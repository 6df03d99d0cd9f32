import type { CheckReport } from '../probes/index.js'
import type { HealthRound } from '../providers/health-round.js'

/** What the history keeps of a round: the checks for the timeline, the rest as of the latest round. */
export type RecordedRound = Pick<HealthRound, 'checks'> & Partial<Pick<HealthRound, 'status' | 'reasons' | 'providers' | 'errorGroups'>>

/** One probe round as the status page's timeline shows it. */
export interface ProbeRound {
  at: string
  results: Record<string, { ok: boolean, latencyMs: number }>
}

/** A dependency's state now, since when, and the last error it had (which may be older). */
export interface DependencyState {
  name: string
  ok: boolean
  latencyMs: number
  error?: string
  /** When the dependency entered its current state (up or down). */
  since: string
  lastError?: { message: string, at: string }
}

/**
 * The recent probe rounds (a ring of `max`) and each dependency's state transitions, kept in
 * memory by the health service: every /v1/health or status refresh is a round. Nothing here
 * calls a dependency; it only remembers what the probes found.
 */
export class ProbeHistory {
  readonly #max: number
  readonly #rounds: ProbeRound[] = []
  readonly #states = new Map<string, DependencyState>()
  #latest: RecordedRound | undefined

  constructor (max = 60) {
    this.#max = max
  }

  record (round: RecordedRound, at = new Date()): void {
    this.#latest = round
    const checks: Record<string, CheckReport> = round.checks
    const iso = at.toISOString()
    const results: ProbeRound['results'] = {}
    for (const [name, c] of Object.entries(checks)) {
      results[name] = { ok: c.ok, latencyMs: c.latencyMs }
      const previous = this.#states.get(name)
      const since = previous !== undefined && previous.ok === c.ok ? previous.since : iso
      const lastError = c.ok ? previous?.lastError : { message: c.error ?? 'down', at: iso }
      this.#states.set(name, { name, ok: c.ok, latencyMs: c.latencyMs, ...(c.error !== undefined ? { error: c.error } : {}), since, ...(lastError !== undefined ? { lastError } : {}) })
    }
    this.#rounds.push({ at: iso, results })
    if (this.#rounds.length > this.#max) this.#rounds.shift()
  }

  rounds (): ProbeRound[] {
    return [...this.#rounds]
  }

  /** The latest round (status, providers, error groups), undefined before the first. */
  latest (): RecordedRound | undefined {
    return this.#latest
  }

  states (): DependencyState[] {
    return [...this.#states.values()]
  }
}
