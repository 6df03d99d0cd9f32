import type { ErrorCode } from '@switchyard/errors'

// When a deployment is skipped for a while, and the book that remembers it. Pure: the caller
// passes the time, and gets back the transitions to log (plugins/cooldowns.ts owns the one book
// of the process and logs them).

export interface CooldownSettings {
  /** Failures within the window that put a deployment in cooldown. */
  threshold: number
  windowMs: number
  /** How long a cooldown lasts (a 429's Retry-After replaces it when given). */
  durationMs: number
}

export type CooldownReason = 'repeated_failures' | 'rate_limited' | 'auth_failed'

export interface CooldownTransition {
  deployment: string
  state: 'cooling_down' | 'available'
  reason?: CooldownReason
  until?: number
}

export interface DeploymentState {
  deployment: string
  state: 'available' | 'cooling_down'
  /** Epoch ms the cooldown ends (cooling_down only). */
  until?: number
  reason?: CooldownReason
  /** Failures counted in the current window. */
  recentFailures: number
}

/** Failures that say something about the deployment (not about the client's request). */
const countsAsFailure = new Set<ErrorCode>([
  'PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT', 'PROVIDER_BAD_RESPONSE', 'PROVIDER_RATE_LIMITED',
  'PROVIDER_AUTH_FAILED', 'PROVIDER_QUOTA_EXCEEDED', 'PROVIDER_MODEL_UNAVAILABLE'
])

interface Entry {
  failures: number[]
  until?: number
  reason?: CooldownReason
}

export class CooldownBook {
  readonly #entries = new Map<string, Entry>()
  readonly #s: CooldownSettings

  constructor (settings: CooldownSettings) {
    this.#s = settings
  }

  #entry (id: string): Entry {
    let e = this.#entries.get(id)
    if (e === undefined) {
      e = { failures: [] }
      this.#entries.set(id, e)
    }
    return e
  }

  /** True while `id` is cooling down at `now`. */
  isCoolingDown (id: string, now: number): boolean {
    const until = this.#entries.get(id)?.until
    return until !== undefined && until > now
  }

  /**
   * A success ends the failure streak, and any cooldown: a deployment tried while cooling down
   * (every deployment of the alias was) and answering is evidently available.
   */
  recordSuccess (id: string, _now: number): CooldownTransition[] {
    const e = this.#entries.get(id)
    if (e === undefined) return []
    this.#entries.delete(id)
    return e.until === undefined ? [] : [{ deployment: id, state: 'available' }]
  }

  /** Counts a failure; returns the transition when it starts a cooldown. */
  recordFailure (id: string, code: ErrorCode, now: number, retryAfterMs?: number): CooldownTransition[] {
    if (!countsAsFailure.has(code)) return []
    const e = this.#entry(id)
    e.failures = e.failures.filter((t) => t > now - this.#s.windowMs)
    e.failures.push(now)
    let reason: CooldownReason | undefined
    let duration = this.#s.durationMs
    if (code === 'PROVIDER_AUTH_FAILED') reason = 'auth_failed'
    else if (code === 'PROVIDER_RATE_LIMITED' && retryAfterMs !== undefined) {
      reason = 'rate_limited'
      duration = retryAfterMs
    } else if (e.failures.length >= this.#s.threshold) reason = 'repeated_failures'
    if (reason === undefined || duration <= 0) return []
    const until = now + duration
    const wasCooling = e.until !== undefined && e.until > now
    if (wasCooling && (e.until ?? 0) >= until) return []
    e.until = until
    e.reason = reason
    e.failures = []
    return wasCooling ? [] : [{ deployment: id, state: 'cooling_down', reason, until }]
  }

  /** Cooldowns that ended by `now` (so the plugin can log "available" once). */
  expire (now: number): CooldownTransition[] {
    const out: CooldownTransition[] = []
    for (const [id, e] of this.#entries) {
      if (e.until !== undefined && e.until <= now) {
        delete e.until
        delete e.reason
        out.push({ deployment: id, state: 'available' })
        if (e.failures.length === 0) this.#entries.delete(id)
      }
    }
    return out
  }

  /** The state of each deployment in `ids`, for GET /internal/deployments. */
  snapshot (ids: readonly string[], now: number): DeploymentState[] {
    return ids.map((id) => {
      const e = this.#entries.get(id)
      const recentFailures = e?.failures.filter((t) => t > now - this.#s.windowMs).length ?? 0
      if (e?.until !== undefined && e.until > now) {
        return { deployment: id, state: 'cooling_down', until: e.until, ...(e.reason === undefined ? {} : { reason: e.reason }), recentFailures }
      }
      return { deployment: id, state: 'available', recentFailures }
    })
  }
}
