/**
 * Wraps an async function so that calls made while one run is in flight share that run's result
 * instead of starting another. For /v1/health: a burst of load-balancer checks (every target
 * group, every AZ) or a caller hammering the endpoint costs one probe per dependency, not one per
 * request, so the health service can never become a connection flood against Postgres or Redis.
 * Results are never reused after the run finishes: every report is fresh.
 */
export function shareInFlight<T> (run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined
  return async () => {
    if (inFlight === undefined) {
      inFlight = run().finally(() => { inFlight = undefined })
    }
    return await inFlight
  }
}
