// Errors already reported to the error tracker. The error handler logs their per-request line at
// info instead of error: the grouped tracker line is the alert, and one error line per failed
// request during an outage is exactly the flood tracking exists to prevent.

const tracked = new WeakSet<object>()

export function markTracked (err: unknown): void {
  if (typeof err === 'object' && err !== null) tracked.add(err)
}

export function wasTracked (err: unknown): boolean {
  return typeof err === 'object' && err !== null && tracked.has(err)
}
