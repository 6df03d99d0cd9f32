import type { RequestRate } from './request-rate.js'
import type { Bucket } from './token-buckets.js'

// Admission leases (docs/adr/0030). A key busy on this process takes, in the Redis call that
// admits one of its requests, a block of further requests and tokens: the next requests are
// admitted from that block here, with no Redis call, until it runs out or expires. What is left
// then goes back to Redis. Redis never hands out more than the limits allow, so no key can exceed
// a limit across replicas; what a lease costs is room held by one replica that another cannot
// use meanwhile, which the sizing below keeps to a sliver of each limit.

/** The most of any one limit a single lease may hold: with R replicas, at most R × this is held at once. */
const LEASE_SHARE = 0.01
/** Requests per lease, at most: at saturation one Redis call admits this many requests. */
const MAX_LEASE_REQUESTS = 64
/** A key is busy once this process admitted it HOT_COUNT times within HOT_INTERVAL_MS (40 requests/s). */
const HOT_COUNT = 4
const HOT_INTERVAL_MS = 100
/** Lease size as a multiple of the requests seen in the last interval: about half a second's worth. */
const LEASE_INTERVALS = 5

/** Unused requests are given back only this long before their window ends (the give-back is queued up to 25 ms). */
const WINDOW_END_MARGIN_MS = 250

const sameBuckets = (a: Terms, b: Terms): boolean =>
  a.bucketKeys.length === b.bucketKeys.length && a.bucketKeys.every((key, i) => key === b.bucketKeys[i])

/** What a lease asks Redis for, on top of the request that asks. */
export interface LeaseSize { requests: number, tokens: number }

/** The limits a lease was granted under: any change (plan edit, a new minute or month) ends it. */
interface Terms { rateMax: number, windowMs: number, bucketKeys: readonly string[], limits: ReadonlyArray<number | null> }

export interface Lease extends Terms {
  readonly keyId: string
  readonly counterKey: string
  /** Requests and tokens left to admit. Tokens go back up when an answer used less than reserved. */
  requests: number
  tokens: number
  readonly expiresAt: number
  /** The request counter right after the grant (every leased request included) and when its window ends. */
  readonly counterAtGrant: number
  readonly windowEndsAt: number
  /** The key's tokens-per-minute counter right after the grant (-1 when it has no such limit). */
  readonly tpmAtGrant: number
  open: boolean
}

interface KeyState {
  lease: Lease | null
  /** A lease request in flight: resolves when it is granted or abandoned. */
  asking: { promise: Promise<void>, done: () => void } | null
  hotSince: number
  hotCount: number
  /** Requests in the interval before this one (0 if the key was quiet): a new interval starts busy. */
  lastCount: number
  /** After a lease was refused (near a limit): no lease is asked for until then. */
  noLeaseUntil: number
}

/** Gives a closed lease's remainder back to Redis (queued with the settlements). */
export type GiveBack = (lease: Lease, requests: number, tokens: number) => void

const sameTerms = (lease: Terms, rate: RequestRate, plan: readonly Bucket[]): boolean => {
  if (lease.rateMax !== rate.max || lease.windowMs !== rate.windowMs || lease.bucketKeys.length !== plan.length) return false
  for (let i = 0; i < plan.length; i++) {
    const b = plan[i]!
    if (lease.bucketKeys[i] !== b.key || lease.limits[i] !== b.limit) return false
  }
  return true
}

/** The key's lease request is over (granted or not): whoever waited on it goes on. */
const answered = (state: KeyState): void => {
  state.asking?.done()
  state.asking = null
}

/** Counts a request admitted for the key within the current busy-ness interval. */
const touch = (state: KeyState, now: number): void => {
  const since = now - state.hotSince
  if (since > HOT_INTERVAL_MS) {
    state.lastCount = since > 2 * HOT_INTERVAL_MS ? 0 : state.hotCount
    state.hotSince = now
    state.hotCount = 0
  }
  state.hotCount += 1
}

/** This process's leases, one per busy key, and how busy each key has been lately. */
export class AdmissionLeases {
  readonly #leaseMs: number
  readonly #giveBack: GiveBack
  readonly #keys = new Map<string, KeyState>()
  #sweeper: NodeJS.Timeout | undefined

  /** leaseMs: the longest a lease lives (0 = never lease: every request asks Redis). */
  constructor (leaseMs: number, giveBack: GiveBack) {
    this.#leaseMs = leaseMs
    this.#giveBack = giveBack
  }

  /** Keys tracked (busy lately or holding a lease). */
  get size (): number { return this.#keys.size }

  /**
   * Admits one request from the key's lease when the lease is open, current and holds a request
   * and `amount` tokens: takes them and returns the lease. Otherwise ends any lease the key has
   * (its remainder goes back) and returns undefined: the request asks Redis.
   */
  take (keyId: string, rate: RequestRate, plan: readonly Bucket[], amount: number, now: number): Lease | undefined {
    const state = this.#keys.get(keyId)
    const lease = state?.lease
    if (state === undefined || lease == null) return undefined
    // A key without token buckets leases requests only.
    const tokens = plan.length === 0 ? 0 : amount
    if (lease.expiresAt > now && lease.requests >= 1 && lease.tokens >= tokens && sameTerms(lease, rate, plan)) {
      lease.requests -= 1
      lease.tokens -= tokens
      touch(state, now)
      return lease
    }
    this.#close(state, now)
    return undefined
  }

  /**
   * Counts a request admitted through Redis and, when the key is busy here and its limits leave
   * room, says how big a lease to ask for with it (null: ask for this request only). At most one
   * lease request per key is in flight: `granted` or `abandoned` must follow a non-null answer.
   */
  sizeFor (keyId: string, rate: RequestRate, plan: readonly Bucket[], amount: number, now: number): LeaseSize | null {
    if (this.#leaseMs === 0) return null
    let state = this.#keys.get(keyId)
    if (state === undefined) {
      this.#keys.set(keyId, state = { lease: null, asking: null, hotSince: now, hotCount: 0, lastCount: 0, noLeaseUntil: 0 })
      this.#sweep()
    }
    touch(state, now)
    const busy = Math.max(state.hotCount, state.lastCount)
    if (busy < HOT_COUNT || state.asking !== null || now < state.noLeaseUntil) return null
    let requests = Math.min(MAX_LEASE_REQUESTS, busy * LEASE_INTERVALS, Math.floor(rate.max * LEASE_SHARE))
    for (const b of plan) {
      if (b.limit === null) continue
      // Tokens are sized by this request's reservation; a later, larger one renews the lease.
      requests = amount === 0 ? requests : Math.min(requests, Math.floor(b.limit * LEASE_SHARE / amount))
    }
    if (requests < 2) return null
    let done = (): void => {}
    state.asking = { promise: new Promise<void>((resolve) => { done = resolve }), done }
    return { requests, tokens: plan.length === 0 ? 0 : requests * amount }
  }

  /**
   * Redis granted the lease asked for by sizeFor. `counter` / `tpm`: the counters after the grant.
   * Returns the lease (closed already if the process shut down meanwhile).
   */
  granted (keyId: string, size: LeaseSize, terms: { counterKey: string, rate: RequestRate, plan: readonly Bucket[], counter: number, windowTtlMs: number, tpm: number, tpmTtlMs: number }, now: number): Lease {
    const { rate, plan } = terms
    const lease: Lease = {
      rateMax: rate.max,
      windowMs: rate.windowMs,
      bucketKeys: plan.map((b) => b.key),
      limits: plan.map((b) => b.limit),
      keyId,
      counterKey: terms.counterKey,
      requests: size.requests,
      tokens: size.tokens,
      // Never past the end of the request window or of the token minute: the counters are not the same after.
      expiresAt: now + Math.min(this.#leaseMs, terms.windowTtlMs, terms.tpm < 0 ? Infinity : terms.tpmTtlMs),
      counterAtGrant: terms.counter,
      windowEndsAt: now + terms.windowTtlMs,
      tpmAtGrant: terms.tpm,
      open: true
    }
    const state = this.#keys.get(keyId)
    if (state === undefined) {
      // Shut down while Redis granted it: nothing here will use it, so it all goes back.
      lease.open = false
      this.#giveBack(lease, lease.requests, lease.tokens)
      return lease
    }
    if (state.lease !== null) this.#close(state, now)
    state.lease = lease
    answered(state)
    return lease
  }

  /**
   * The lease request in flight for this key, if any: requests arriving meanwhile wait for it and
   * are admitted from the lease, instead of each asking Redis for itself (at saturation a dozen
   * arrive during one call). It always settles: granted or abandoned follows every request.
   */
  pending (keyId: string): Promise<void> | undefined {
    return this.#keys.get(keyId)?.asking?.promise
  }

  /**
   * The lease asked for was not granted. `refusedAt`: Redis refused it (the key is near a limit),
   * so for one lease lifetime the key's requests ask for themselves only; a key refused at its
   * limit would otherwise cost two calls per request. Without it (Redis failed) it may ask again.
   */
  abandoned (keyId: string, refusedAt?: number): void {
    const state = this.#keys.get(keyId)
    if (state === undefined) return
    if (refusedAt !== undefined) state.noLeaseUntil = refusedAt + this.#leaseMs
    answered(state)
  }

  /**
   * An answer admitted from `lease` (or charged with it) used `used` tokens of the `reserved` it
   * took. The difference goes into the lease while it is open, or into the key's next lease on the
   * same counters (both were charged to the same buckets; at saturation a lease often ends with
   * answers still streaming), and true is returned; otherwise the caller settles in Redis.
   */
  settle (lease: Lease, reserved: number, used: number): boolean {
    const into = lease.open ? lease : this.#keys.get(lease.keyId)?.lease
    if (into == null || (into !== lease && !sameBuckets(into, lease))) return false
    into.tokens += reserved - used
    return true
  }

  /** Ends every lease (shutdown): remainders go back to Redis with the settlements. */
  closeAll (): void {
    const now = Date.now()
    for (const state of this.#keys.values()) {
      if (state.lease !== null) this.#close(state, now)
      answered(state) // nobody waits on a lease request past shutdown
    }
    this.#keys.clear()
    clearInterval(this.#sweeper)
    this.#sweeper = undefined
  }

  #close (state: KeyState, now: number): void {
    const lease = state.lease
    if (lease === null) return
    state.lease = null
    lease.open = false
    // The request counter keeps its name from one window to the next: requests given back once
    // their window is (nearly) over would come off the next window's count. They expire with it.
    const requests = now < lease.windowEndsAt - WINDOW_END_MARGIN_MS ? lease.requests : 0
    if (requests > 0 || lease.tokens !== 0) this.#giveBack(lease, requests, lease.tokens)
  }

  /** Expired leases go back, and keys quiet for a while are forgotten; runs only while keys are tracked. */
  #sweep (): void {
    if (this.#sweeper !== undefined) return
    const every = Math.max(HOT_INTERVAL_MS, this.#leaseMs)
    this.#sweeper = setInterval(() => {
      const now = Date.now()
      for (const [keyId, state] of this.#keys) {
        if (state.lease !== null && state.lease.expiresAt <= now) this.#close(state, now)
        if (state.lease === null && state.asking === null && now - state.hotSince > every) this.#keys.delete(keyId)
      }
      if (this.#keys.size === 0) {
        clearInterval(this.#sweeper)
        this.#sweeper = undefined
      }
    }, every).unref()
  }
}
