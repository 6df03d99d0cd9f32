import { readFileSync } from 'node:fs'
import { Pool } from 'undici'
import type { ServiceProcess } from '../system/service-process.js'
import { startTargets } from '../targets/start-targets.js'
import { callAndCheck, type CallOutcome } from './call-and-check.js'
import { MockStatsReader } from './mock-stats.js'
import { burstCall, PATTERN, sequenceCall } from './pattern.js'
import { samplePeaks, type PeakFigures } from './peak-sampler.js'

export interface ReplayOptions {
  prefix: string[]
  servicesRoot?: string
  /** Sequences run at once in the second phase (50). */
  sequences: number
  /** Streams held open at once in the third phase (2,000). */
  streams: number
  /** How long the mock keeps each burst stream open, and the gap between its events. */
  holdMs: number
  chunkIntervalMs: number
}

export interface PhaseResult {
  name: string
  requests: number
  errors: number
  /** Every failure (capped at 50), to print: errors must be 0. */
  errorSamples: string[]
  /** All failures counted by kind (the message with request ids masked). */
  errorKinds: Record<string, number>
  /** TCP connections the mock accepted from the router during the phase. */
  mockConnectionsOpened: number
  /** The most connections open at the mock at once during the phase. */
  mockPeakOpenConnections: number
  durationMs: number
  /**
   * ms from sending to the response headers (for a stream the router sends them with the first
   * content event, so this includes the mock's first chunk interval), and to the end of the
   * answer; successes only.
   */
  headersMs: { p50: number, max: number }
  totalMs: { p50: number, max: number }
  peaks: Record<string, PeakFigures>
}

export interface ReplayResult {
  openFilesLimit: string
  memAvailableMiBBefore: number
  phases: PhaseResult[]
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** `Max open files` of this process (the servers inherit it), from /proc/self/limits. */
function openFilesLimit (): { soft: number, text: string } {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files')) ?? ''
  const [soft = 'unknown', hard = 'unknown'] = line.replace('Max open files', '').trim().split(/\s+/)
  return { soft: soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft), text: `${soft} (hard ${hard})` }
}

function memAvailableMiB (): number {
  const match = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))
  return match === null ? Number.NaN : Number(match[1]) / 1024
}

async function phase (name: string, mock: MockStatsReader, processes: readonly ServiceProcess[], run: () => Promise<CallOutcome[]>): Promise<PhaseResult> {
  process.stdout.write(`  ${name} … `)
  const before = await mock.resetPeak()
  const sampler = samplePeaks(processes)
  const t0 = performance.now()
  const outcomes = await run()
  const durationMs = performance.now() - t0
  const peaks = sampler.stop()
  const after = await mock.read()
  const failures = outcomes.filter((o) => !o.ok)
  const ok = outcomes.filter((o) => o.ok)
  console.log(`${(durationMs / 1000).toFixed(1)} s, ${failures.length} errors`)
  return {
    name,
    requests: outcomes.length,
    errors: failures.length,
    errorSamples: failures.slice(0, 50).map((f) => f.error ?? 'unknown'),
    errorKinds: failures.reduce<Record<string, number>>((kinds, f) => {
      const kind = (f.error ?? 'unknown').replace(/req_[0-9a-f]+/g, 'req_…').slice(0, 200)
      kinds[kind] = (kinds[kind] ?? 0) + 1
      return kinds
    }, {}),
    mockConnectionsOpened: (after.connections - before.connections) - (after.ownConnections - before.ownConnections),
    // Less the stats client's own connection, open throughout.
    mockPeakOpenConnections: Math.max(0, after.peakOpenConnections - 1),
    durationMs,
    headersMs: { p50: percentile(ok.map((o) => o.headersMs), 50), max: Math.max(...ok.map((o) => o.headersMs)) },
    totalMs: { p50: percentile(ok.map((o) => o.totalMs), 50), max: Math.max(...ok.map((o) => o.totalMs)) },
    peaks
  }
}

/**
 * Replay and burst, through SWITCHYARD only (gateway → router → mock, each its own process):
 * the 12-call sequence back to back; `sequences` of them at once; then `streams` streams held
 * open together for `holdMs`. Every answer's usage is checked against what was asked for.
 * Refuses to start the burst when this machine's open-file limit or free memory cannot carry it.
 */
export async function runReplay (opts: ReplayOptions): Promise<ReplayResult> {
  const limit = openFilesLimit()
  // Per stream: one socket in the load generator; two in the gateway and in the router (in and out); one in the mock.
  const fdsNeeded = 2 * opts.streams + 1024
  if (limit.soft < fdsNeeded) throw new Error(`the burst of ${opts.streams} streams needs an open-file limit of at least ${fdsNeeded} (ulimit -n is ${limit.text}); raise it or pass --burst-streams`)
  const memBefore = memAvailableMiB()
  if (memBefore < 3072) throw new Error(`only ${memBefore.toFixed(0)} MiB available: the replay needs about 3 GiB; not started`)

  const targets = await startTargets({ prefix: opts.prefix, servicesRoot: opts.servicesRoot, mockDirectives: true })
  const switchyard = targets.all.find((t) => t.name === 'SWITCHYARD')
  if (switchyard === undefined) throw new Error('no SWITCHYARD target')
  const processes = [...switchyard.processes, targets.mock]
  const url = new URL(switchyard.url)
  const pool = new Pool(url.origin, { connections: opts.streams + 100, keepAliveTimeout: 30_000, headersTimeout: 120_000, bodyTimeout: 120_000 })
  const mock = new MockStatsReader(targets.mock.url)
  const call = async (c: ReturnType<typeof sequenceCall>) => await callAndCheck(pool, url.pathname, switchyard.headers, c)
  const sequence = async (seq: number): Promise<CallOutcome[]> => {
    const outcomes: CallOutcome[] = []
    for (let i = 0; i < PATTERN.length; i++) outcomes.push(await call(sequenceCall(i, seq)))
    return outcomes
  }
  try {
    const phases: PhaseResult[] = []
    phases.push(await phase('12-call sequence, back to back', mock, processes, async () => await sequence(0)))
    phases.push(await phase(`${opts.sequences} sequences at once`, mock, processes,
      async () => (await Promise.all(Array.from({ length: opts.sequences }, async (_, s) => await sequence(s + 1)))).flat()))
    const burst = burstCall(opts.holdMs, opts.chunkIntervalMs)
    // No warm-up request: the burst may well meet an expired key-cache entry (30 s TTL), which
    // the gateway must absorb with one shared lookup (apps/gateway/src/auth/key-lookups.ts).
    phases.push(await phase(`${opts.streams} streams held open ${(opts.holdMs / 1000).toFixed(0)} s at once`, mock, processes,
      async () => await Promise.all(Array.from({ length: opts.streams }, async () => await call(burst)))))
    return { openFilesLimit: limit.text, memAvailableMiBBefore: memBefore, phases }
  } finally {
    await mock.close()
    await pool.close()
    await targets.stop()
  }
}
