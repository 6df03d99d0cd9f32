import { describeProbeError } from './describe-error.js'
import type { Check, ProbeResult } from './types.js'

/** One entry of the report's `checks` map (the name is the key). */
export type CheckReport = Omit<ProbeResult, 'name'>

/**
 * Runs every check at once (Promise.allSettled): the answer takes as long as the slowest probe,
 * i.e. about one probe timeout, however many dependencies are dead. A check that throws, even
 * synchronously, is reported down instead of failing the request.
 */
export async function runChecks (checks: Check[], timeoutMs: number): Promise<Record<string, CheckReport>> {
  const settled = await Promise.allSettled(checks.map(async (check) => await check.run()))
  const report: Record<string, CheckReport> = {}
  settled.forEach((outcome, i) => {
    const name = checks[i]?.name ?? `check-${i}`
    if (outcome.status === 'fulfilled') {
      const { name: _name, ...result } = outcome.value
      report[name] = result
    } else {
      report[name] = { ok: false, latencyMs: 0, error: describeProbeError(outcome.reason, timeoutMs) }
    }
  })
  return report
}
