import type { ProbeOutcome } from './probe-provider.js'

// The cached probe state of every provider, refreshed on demand when stale (docs/adr/0025).
// Pure apart from the probe function and the clock it is given: no timers of its own.

export interface ProbeState {
  state: 'up' | 'down' | 'unknown'
  /** Epoch ms of the last completed probe, undefined before the first. */
  checkedAt?: number
  latencyMs?: number
  /** Epoch ms the provider entered its current state (up/down). */
  since?: number
  error?: { code: string, message: string }
}

export interface ProviderProbesOptions {
  /** A probe is started at most once per interval per provider. */
  intervalMs: number
  /** One attempt of the probe of `id` (never throws). */
  probe: (id: string) => Promise<ProbeOutcome>
  now?: () => number
}

/**
 * `refreshStale()` starts a probe for every provider whose last one is older than the interval
 * (or that was never probed) and has none in flight; it does not wait for them. So however many
 * callers ask at once (100 health checks), each provider sees at most one probe per interval,
 * and no caller ever waits on a dead provider: it reads the last known state.
 */
export class ProviderProbes {
  readonly #opts: ProviderProbesOptions
  readonly #now: () => number
  readonly #states = new Map<string, ProbeState>()
  readonly #inFlight = new Map<string, Promise<void>>()
  /** When the latest probe of each provider was started (the interval counts from there). */
  readonly #startedAt = new Map<string, number>()

  constructor (ids: readonly string[], opts: ProviderProbesOptions) {
    this.#opts = opts
    this.#now = opts.now ?? Date.now
    for (const id of ids) this.#states.set(id, { state: 'unknown' })
  }

  /** Starts the probes that are due; resolves when those started here have finished. */
  async refreshStale (): Promise<void> {
    const now = this.#now()
    const started: Array<Promise<void>> = []
    for (const id of this.#states.keys()) {
      if (this.#inFlight.has(id)) continue
      const last = this.#startedAt.get(id)
      if (last !== undefined && now - last < this.#opts.intervalMs) continue
      started.push(this.#run(id, now))
    }
    await Promise.all(started)
  }

  /** Waits for every probe in flight (tests, shutdown). */
  async settled (): Promise<void> {
    await Promise.all(this.#inFlight.values())
  }

  state (id: string): ProbeState {
    return this.#states.get(id) ?? { state: 'unknown' }
  }

  #run (id: string, now: number): Promise<void> {
    this.#startedAt.set(id, now)
    const run = this.#opts.probe(id).then((outcome) => {
      const previous = this.#states.get(id)
      const at = this.#now()
      const since = previous?.state === outcome.state && previous.since !== undefined ? previous.since : at
      this.#states.set(id, {
        state: outcome.state,
        checkedAt: at,
        latencyMs: outcome.latencyMs,
        since,
        ...(outcome.error === undefined ? {} : { error: outcome.error })
      })
    }, () => {}).finally(() => { this.#inFlight.delete(id) })
    this.#inFlight.set(id, run)
    return run
  }
}
