/** Quota periods are calendar months in UTC; token-rate windows are fixed UTC minutes. */

export function monthStart (now: number): Date {
  const d = new Date(now)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
}

/** When the current month's quota resets: the first instant of next month, UTC. */
export function nextMonthStart (now: number): Date {
  const d = new Date(now)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
}

/** `2026-11`: names the month's counter, so a new month starts a new counter by itself. */
let cachedLabel = { from: 0, until: 0, label: '' }
export function monthLabel (now: number): string {
  // Every metered request names its counters: format a month once, not once per request.
  if (now >= cachedLabel.from && now < cachedLabel.until) return cachedLabel.label
  cachedLabel = { from: monthStart(now).getTime(), until: nextMonthStart(now).getTime(), label: new Date(now).toISOString().slice(0, 7) }
  return cachedLabel.label
}

export const MINUTE_MS = 60_000

/** The current one-minute window: its number (names the counter) and the ms until it ends. */
export function minuteWindow (now: number): { index: number, remainingMs: number } {
  const index = Math.floor(now / MINUTE_MS)
  return { index, remainingMs: (index + 1) * MINUTE_MS - now }
}
