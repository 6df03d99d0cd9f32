/** How the database is reached: directly (DATABASE_URL) or through the gateway's embedded PGlite. */
export type DatabaseKind = 'postgres' | 'embedded'

/** The outcome of one probe: one attempt, timed, never thrown. */
export interface ProbeResult {
  name: string
  ok: boolean
  /** Wall time of the attempt, rounded to whole milliseconds (≈ the timeout when it timed out). */
  latencyMs: number
  /** Short and safe to publish: "timed out after 1000 ms", "ECONNREFUSED", "HTTP 503". Never a URL or secret. */
  error?: string
  kind?: DatabaseKind
}

/** A named check the health route runs; `run` resolves to the probe's result. */
export interface Check {
  name: string
  run: () => Promise<ProbeResult>
}
