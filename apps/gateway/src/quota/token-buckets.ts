import type { Redis } from 'ioredis'
import { PendingSettles } from './pending-settles.js'

/** One token counter a request is checked and charged against. */
export interface Bucket {
  kind: 'user-month' | 'key-month' | 'key-tpm'
  /** Full Redis key, hash-tagged `{u:<userId>}` so every bucket of a request is in one slot. */
  key: string
  /** null = count only (usage must still add up for other keys of the user). */
  limit: number | null
  /** Expiry given to the counter when this request creates it. */
  ttlMs: number
}

/** The request counter a reservation also counts (or only reads, on a retry after a rebuild). */
export interface RequestCounter {
  /** Full Redis key, hash-tagged like the buckets. */
  key: string
  max: number
  windowMs: number
  /** false: read it without counting (the request was counted by an earlier call). */
  count: boolean
  /** Requests leased with this one (docs/adr/0030): counted too, or none of them if they do not fit. */
  lease?: number
}

/** The request counter after the call: requests in the window, and ms until it ends. */
export interface CounterState { current: number, ttl: number }

export type ReserveResult =
  | { outcome: 'reserved', values: number[], requests: CounterState }
  | { outcome: 'throttled', requests: CounterState }
  | { outcome: 'lease-refused', requests: CounterState }
  | { outcome: 'refused', bucket: number, used: number, requests: CounterState }
  | { outcome: 'missing', bucket: number, requests: CounterState }

/**
 * One call per request: counts the request against its request-rate window (when KEYS[1] is a
 * request counter), checks every token bucket, then charges all of them or none, atomically. A
 * monthly counter that does not exist is not treated as zero: the script answers `missing` and
 * the caller rebuilds it from Postgres first (a cold or flushed Redis must never hand out a fresh
 * month). Settlements queued for these counters (see PendingSettles) are applied first, whatever
 * the outcome, as the settle script would have: only to counters that exist, never below zero.
 * With a lease (docs/adr/0030) the request counts for 1 + its leased requests, and `amount`
 * includes the leased tokens; a lease that would take the counter over its limit counts nothing
 * and is refused with flag 3 (the caller asks again for the request alone).
 * ARGV: amount, request mode (0 = no counter, 1 = count, 2 = read: this request was counted and
 * admitted by an earlier call, so it is never refused for the rate), request max, window ms,
 * requests to count (1, or 1 + a lease's), the counter's queued settlement delta; then per
 * bucket: limit (-1 = none), ttl ms, 1 if the counter must exist, queued settlement delta.
 * Returns {1, current, ttl, value...} | {2, current, ttl} (over the request rate)
 * | {3, current, ttl} (the lease would be) | {0, current, ttl, bucket, used} | {-1, current, ttl, bucket}.
 */
const reserveScript = `
local amount = tonumber(ARGV[1])
local mode = ARGV[2]
local first = 1
if mode ~= '0' then first = 2 end
local n = #KEYS - first + 1
local function carry (k, delta)
  if delta ~= 0 and redis.call('EXISTS', k) == 1 then
    if redis.call('INCRBY', k, delta) < 0 then redis.call('SET', k, 0, 'KEEPTTL') end
  end
end
if mode ~= '0' then carry(KEYS[1], tonumber(ARGV[6])) end
for i = 1, n do carry(KEYS[first + i - 1], tonumber(ARGV[6 + (i - 1) * 4 + 4])) end
local current, ttl = 0, 0
if mode ~= '0' then
  local inc = tonumber(ARGV[5])
  if mode == '1' and inc > 1 then
    local now = tonumber(redis.call('GET', KEYS[1]) or '0')
    if now + inc > tonumber(ARGV[3]) then
      ttl = redis.call('PTTL', KEYS[1])
      if ttl < 0 then ttl = tonumber(ARGV[4]) end
      return { 3, now, ttl }
    end
  end
  if mode == '1' then
    current = redis.call('INCRBY', KEYS[1], inc)
    if current == inc then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
  else
    current = tonumber(redis.call('GET', KEYS[1]) or '0')
  end
  ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    if mode == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
    ttl = tonumber(ARGV[4])
  end
  if mode == '1' and current > tonumber(ARGV[3]) then return { 2, current, ttl } end
end
for i = 1, n do
  local base = 6 + (i - 1) * 4
  local k = KEYS[first + i - 1]
  local limit = tonumber(ARGV[base + 1])
  local v = redis.call('GET', k)
  if not v then
    if ARGV[base + 3] == '1' then return { -1, current, ttl, i } end
    v = 0
  end
  v = tonumber(v)
  if limit >= 0 and v + amount > limit then return { 0, current, ttl, i, v } end
end
local out = { 1, current, ttl }
for i = 1, n do
  local k = KEYS[first + i - 1]
  local v = redis.call('INCRBY', k, amount)
  if redis.call('PTTL', k) < 0 then redis.call('PEXPIRE', k, ARGV[6 + (i - 1) * 4 + 2]) end
  out[#out + 1] = v
end
return out`

/**
 * Replaces reservations with actual usage: adds each key's summed (used - reserved), ARGV[i], to
 * that counter if it still exists. A counter that expired or was flushed meanwhile is left alone
 * (it will be rebuilt from Postgres, which has these requests' usage events); a counter never
 * goes below zero.
 */
const settleScript = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local v = redis.call('INCRBY', KEYS[i], tonumber(ARGV[i]))
    if v < 0 then redis.call('SET', KEYS[i], 0, 'KEEPTTL') end
  end
end
return 1`

interface BucketCommands {
  switchyardReserve: (numKeys: number, ...args: Array<string | number>) => Promise<number[]>
  switchyardSettle: (numKeys: number, ...args: Array<string | number>) => Promise<number>
}

/** How long a settlement may wait for a reservation on the same counters to carry it. */
const SETTLE_FLUSH_MS = 25

/**
 * The Redis side of token quotas and of metered requests' request rate: one script call per
 * request, which counts the request, reserves its tokens and carries the settlements queued for
 * its counters; leftovers are flushed every SETTLE_FLUSH_MS. A sequential
 * client therefore always sees its previous request settled (the queue is applied before the
 * check), and a busy key costs one script call per request instead of two.
 */
export class TokenBuckets {
  readonly #redis: Redis & BucketCommands
  readonly #pending = new PendingSettles()
  readonly #onSettleError: (err: unknown) => void
  #timer: NodeJS.Timeout | undefined
  /** The flush whose calls are still out, if any: a later flush waits for it too. */
  #flushing: Promise<void> | undefined

  constructor (redis: Redis, onSettleError: (err: unknown) => void) {
    redis.defineCommand('switchyardReserve', { lua: reserveScript })
    redis.defineCommand('switchyardSettle', { lua: settleScript })
    this.#redis = redis as Redis & BucketCommands
    this.#onSettleError = onSettleError
  }

  async reserve (counter: RequestCounter | null, buckets: readonly Bucket[], amount: number, mustExist: (b: Bucket) => boolean): Promise<ReserveResult> {
    const args: Array<string | number> = []
    if (counter !== null) args.push(counter.key)
    for (const b of buckets) args.push(b.key)
    args.push(amount, counter === null ? 0 : counter.count ? 1 : 2, counter?.max ?? 0, counter === null ? 0 : Math.max(1, Math.ceil(counter.windowMs)),
      1 + (counter?.lease ?? 0), counter === null ? 0 : this.#pending.take(counter.key))
    for (const b of buckets) args.push(b.limit ?? -1, Math.max(1, Math.ceil(b.ttlMs)), mustExist(b) ? 1 : 0, this.#pending.take(b.key))
    const res = await this.#redis.switchyardReserve(buckets.length + (counter === null ? 0 : 1), ...args)
    const [flag, current = 0, ttl = 0, a = 0, b = 0] = res
    const requests = { current, ttl }
    if (flag === 1) return { outcome: 'reserved', values: res.slice(3), requests }
    if (flag === 2) return { outcome: 'throttled', requests }
    if (flag === 3) return { outcome: 'lease-refused', requests }
    if (flag === 0) return { outcome: 'refused', bucket: a - 1, used: b, requests }
    return { outcome: 'missing', bucket: a - 1, requests }
  }

  /** Queues (used - reserved) for these counters; applied by the next reservation on them or the flush timer. */
  settle (keys: readonly string[], delta: number): void {
    if (delta === 0 || keys.length === 0) return
    this.#pending.add(keys, delta)
    this.#timer ??= setTimeout(() => { void this.flush() }, SETTLE_FLUSH_MS).unref()
  }

  /**
   * Sends every queued settlement now (the timer, shutdown). Resolves once everything queued
   * before the call has been answered by Redis, including what an earlier flush still has out:
   * the queue may be empty because the timer's flush drained it a moment ago. Failures are
   * reported, not thrown.
   */
  async flush (): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const earlier = this.#flushing
    if (this.#pending.size === 0) return await earlier
    const calls = [...this.#pending.drain().values()].map(async (group) => {
      await this.#redis.switchyardSettle(group.length, ...group.map(([key]) => key), ...group.map(([, delta]) => delta))
    })
    const sent = (async () => {
      for (const result of await Promise.allSettled(calls)) {
        if (result.status === 'rejected') this.#onSettleError(result.reason)
      }
      await earlier
    })()
    this.#flushing = sent
    try {
      await sent
    } finally {
      if (this.#flushing === sent) this.#flushing = undefined
    }
  }

  /** Creates a monthly counter from the durable total unless another request or replica already did. */
  async seed (key: string, value: number, ttlMs: number): Promise<void> {
    await this.#redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')
  }
}
