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

export type ReserveResult =
  | { outcome: 'reserved', values: number[] }
  | { outcome: 'refused', bucket: number, used: number }
  | { outcome: 'missing', bucket: number }

/**
 * Checks every bucket, then charges all of them or none, atomically. A monthly counter that does
 * not exist is not treated as zero: the script answers `missing` and the caller rebuilds it from
 * Postgres first (a cold or flushed Redis must never hand out a fresh month).
 * Settlements queued for these counters (see PendingSettles) are applied first, as the settle
 * script would have: only to counters that exist, never below zero.
 * ARGV: amount, then per bucket: limit (-1 = none), ttl ms, 1 if the counter must exist, queued
 * settlement delta. Returns {1, value...} | {0, bucket, used} | {-1, bucket}.
 */
const reserveScript = `
local amount = tonumber(ARGV[1])
for i = 1, #KEYS do
  local delta = tonumber(ARGV[1 + (i - 1) * 4 + 4])
  if delta ~= 0 and redis.call('EXISTS', KEYS[i]) == 1 then
    if redis.call('INCRBY', KEYS[i], delta) < 0 then redis.call('SET', KEYS[i], 0, 'KEEPTTL') end
  end
end
for i = 1, #KEYS do
  local base = 1 + (i - 1) * 4
  local limit = tonumber(ARGV[base + 1])
  local v = redis.call('GET', KEYS[i])
  if not v then
    if ARGV[base + 3] == '1' then return { -1, i } end
    v = 0
  end
  v = tonumber(v)
  if limit >= 0 and v + amount > limit then return { 0, i, v } end
end
local out = { 1 }
for i = 1, #KEYS do
  local v = redis.call('INCRBY', KEYS[i], amount)
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[1 + (i - 1) * 4 + 2]) end
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
 * The Redis side of token quotas: one script call per reservation, which also carries the
 * settlements queued for its counters; leftovers are flushed every SETTLE_FLUSH_MS. A sequential
 * client therefore always sees its previous request settled (the queue is applied before the
 * check), and a busy key costs one script call per request instead of two.
 */
export class TokenBuckets {
  readonly #redis: Redis & BucketCommands
  readonly #pending = new PendingSettles()
  readonly #onSettleError: (err: unknown) => void
  #timer: NodeJS.Timeout | undefined

  constructor (redis: Redis, onSettleError: (err: unknown) => void) {
    redis.defineCommand('switchyardReserve', { lua: reserveScript })
    redis.defineCommand('switchyardSettle', { lua: settleScript })
    this.#redis = redis as Redis & BucketCommands
    this.#onSettleError = onSettleError
  }

  async reserve (buckets: readonly Bucket[], amount: number, mustExist: (b: Bucket) => boolean): Promise<ReserveResult> {
    const args: Array<string | number> = buckets.map((b) => b.key)
    args.push(amount)
    for (const b of buckets) args.push(b.limit ?? -1, Math.max(1, Math.ceil(b.ttlMs)), mustExist(b) ? 1 : 0, this.#pending.take(b.key))
    const res = await this.#redis.switchyardReserve(buckets.length, ...args)
    const [flag, a = 0, b = 0] = res
    if (flag === 1) return { outcome: 'reserved', values: res.slice(1) }
    if (flag === 0) return { outcome: 'refused', bucket: a - 1, used: b }
    return { outcome: 'missing', bucket: a - 1 }
  }

  /** Queues (used - reserved) for these counters; applied by the next reservation on them or the flush timer. */
  settle (keys: readonly string[], delta: number): void {
    if (delta === 0 || keys.length === 0) return
    this.#pending.add(keys, delta)
    this.#timer ??= setTimeout(() => { void this.flush() }, SETTLE_FLUSH_MS).unref()
  }

  /** Sends every queued settlement now (the timer, and shutdown). Failures are reported, not thrown. */
  async flush (): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#pending.size === 0) return
    const calls = [...this.#pending.drain().values()].map(async (group) => {
      await this.#redis.switchyardSettle(group.length, ...group.map(([key]) => key), ...group.map(([, delta]) => delta))
    })
    for (const result of await Promise.allSettled(calls)) {
      if (result.status === 'rejected') this.#onSettleError(result.reason)
    }
  }

  /** Creates a monthly counter from the durable total unless another request or replica already did. */
  async seed (key: string, value: number, ttlMs: number): Promise<void> {
    await this.#redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')
  }
}
