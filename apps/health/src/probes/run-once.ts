import { performance } from 'node:perf_hooks'
import { describeProbeError } from './describe-error.js'
import type { DatabaseKind, ProbeResult } from './types.js'

export interface OnceOptions {
  name: string
  timeoutMs: number
  kind?: DatabaseKind
}

/**
 * Runs `attempt` exactly once under a deadline and reports it; never throws, never retries.
 *
 * The deadline is an `AbortSignal.timeout(timeoutMs)` handed to the attempt (so undici requests
 * abort and clients can tear down their sockets) AND raced here, so the result is ready at the
 * deadline even if a client ignores the signal. This is the whole point of the service: health
 * checks that went through a retrying client took 12 s against a dead dependency (docs/architecture.md).
 */
export async function runOnce (opts: OnceOptions, attempt: (signal: AbortSignal) => Promise<void>): Promise<ProbeResult> {
  const started = performance.now()
  const signal = AbortSignal.timeout(opts.timeoutMs)
  let onAbort = (): void => {}
  const deadline = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  const report = (error?: string): ProbeResult => ({
    name: opts.name,
    ok: error === undefined,
    latencyMs: Math.round(performance.now() - started),
    ...(error === undefined ? {} : { error }),
    ...(opts.kind === undefined ? {} : { kind: opts.kind })
  })
  try {
    // `.then` turns a synchronous throw inside `attempt` into a rejection like any other.
    await Promise.race([Promise.resolve().then(async () => await attempt(signal)), deadline])
    return report()
  } catch (err) {
    return report(describeProbeError(err, opts.timeoutMs))
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
