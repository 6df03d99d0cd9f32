import type { ResolvedKey } from '../auth/resolved-key.js'
import { minuteWindow, monthLabel, nextMonthStart } from './period.js'
import type { Bucket } from './token-buckets.js'

/** Monthly counters outlive their month by a day, so late settlements still find them. */
const MONTH_GRACE_MS = 24 * 3600 * 1000

/**
 * The token buckets a request of this key is checked and charged against:
 * - the user's month, when the user has a quota (count-only if this key is exempt, so the user's
 *   other keys still see the usage);
 * - the key's own month, when the key overrides the quota with a number;
 * - the key's tokens per minute, when it has such a limit.
 * Keys share the `{u:<userId>}` hash tag, so one script can touch all of them on Redis Cluster.
 */
export function bucketsForKey (key: ResolvedKey, now: number, prefix: string): Bucket[] {
  const tag = `${prefix}q:{u:${key.userId}}`
  const month = monthLabel(now)
  const monthTtl = nextMonthStart(now).getTime() - now + MONTH_GRACE_MS
  const buckets: Bucket[] = []
  if (key.userMonthlyQuota !== null) {
    buckets.push({ kind: 'user-month', key: `${tag}:m:${month}`, limit: key.keyQuota === 'unlimited' ? null : key.userMonthlyQuota, ttlMs: monthTtl })
  }
  if (key.keyQuota === 'own') {
    buckets.push({ kind: 'key-month', key: `${tag}:k:${key.id}:m:${month}`, limit: key.limits.monthlyTokenQuota, ttlMs: monthTtl })
  }
  if (key.limits.tokensPerMinute !== null) {
    const window = minuteWindow(now)
    buckets.push({ kind: 'key-tpm', key: `${tag}:k:${key.id}:tpm:${window.index}`, limit: key.limits.tokensPerMinute, ttlMs: window.remainingMs + 1000 })
  }
  return buckets
}
