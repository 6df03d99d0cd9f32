import { SwitchyardError } from '@switchyard/errors'
import type { Redis } from 'ioredis'
import type { RedisFallbacks } from '../plugins/redis.js'
import type { LocalWindows } from './local-windows.js'

type IncrCallback = (err: Error | null, result?: { current: number, ttl: number }) => void

export interface ThrottleStoreOptions {
  redis: Redis | null
  /** Prepended to every key (REDIS_KEY_PREFIX + "rl:"). */
  prefix: string
  failOpen: boolean
  fallbacks: RedisFallbacks
  /** The process's request counters (shared with the metered routes' admission). */
  local: LocalWindows
}

interface ThrottleStore {
  incr: (key: string, cb: IncrCallback, timeWindow: number) => void
  child: () => ThrottleStore
}

/** INCR and start the window on the first hit: one round trip, atomic. */
const incrScript = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { current, ttl }`

/**
 * A @fastify/rate-limit store (the plugin instantiates the returned class): counts in Redis with
 * one script call; when Redis fails, counts per process (fail open, with a warning and a
 * counter) or passes the error on, which the error handler answers with 503
 * RATE_LIMIT_STORE_UNAVAILABLE (fail closed). Keys arrive hash-tagged (`{u:<user>}:<key id>`).
 */
export function createThrottleStore (opts: ThrottleStoreOptions): new () => ThrottleStore {
  const { local } = opts
  const { redis } = opts
  if (redis !== null) redis.defineCommand('switchyardRateLimit', { numberOfKeys: 1, lua: incrScript })
  const viaRedis = redis === null
    ? undefined
    : async (key: string, windowMs: number): Promise<[number, number]> =>
      await (redis as unknown as { switchyardRateLimit: (k: string, w: number) => Promise<[number, number]> }).switchyardRateLimit(key, windowMs)

  return class implements ThrottleStore {
    /** One counter per key for every route (keys are not route-specific). */
    child (): ThrottleStore { return this }

    incr (key: string, cb: IncrCallback, timeWindow: number): void {
      if (viaRedis === undefined) {
        cb(null, local.incr(key, timeWindow))
        return
      }
      const fallBack = (err: Error | undefined): void => {
        if (!opts.failOpen) return cb(new SwitchyardError('RATE_LIMIT_STORE_UNAVAILABLE', { cause: err }))
        opts.fallbacks.note('rate-limit', err, 'request limits are counted per process')
        cb(null, local.incr(key, timeWindow))
      }
      if (!opts.fallbacks.available()) return fallBack(undefined)
      viaRedis(opts.prefix + key, timeWindow).then(([current, ttl]) => cb(null, { current, ttl }), fallBack)
    }
  }
}
