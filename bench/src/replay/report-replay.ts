import { writeFileSync } from 'node:fs'
import type { ReplayResult } from './run-replay.js'

const ms = (v: number) => Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : '–'

/** Prints each phase (every error listed) and writes the JSON; returns the total error count. */
export function reportReplay (result: ReplayResult, file: string, meta: Record<string, unknown>): number {
  console.log(`\nreplay and burst through SWITCHYARD (open-file limit ${result.openFilesLimit}, ${result.memAvailableMiBBefore.toFixed(0)} MiB available before):`)
  for (const p of result.phases) {
    console.log(`\n  ${p.name}: ${p.requests} requests, ${p.errors} errors, ${(p.durationMs / 1000).toFixed(1)} s`)
    console.log(`    mock: ${p.mockConnectionsOpened} connections opened by the router, ${p.mockPeakOpenConnections} open at most at once`)
    console.log(`    time to headers p50 ${ms(p.headersMs.p50)} max ${ms(p.headersMs.max)}; to the end p50 ${ms(p.totalMs.p50)} max ${ms(p.totalMs.max)}`)
    console.log(`    peak RSS / fds: ${Object.entries(p.peaks).map(([name, v]) => `${name} ${v.rssMiB.toFixed(0)} MiB / ${v.fds}`).join(', ')}`)
    for (const e of p.errorSamples) console.log(`    error: ${e}`)
    for (const [kind, n] of Object.entries(p.errorKinds)) console.log(`    ${n} × ${kind}`)
  }
  writeFileSync(file, JSON.stringify({ ...meta, ...result }, null, 2))
  return result.phases.reduce((n, p) => n + p.errors, 0)
}
