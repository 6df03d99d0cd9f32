import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { completionBody } from '../load/request-body.js'
import { openFds } from '../system/proc-stats.js'
import type { ServiceProcess } from '../system/service-process.js'
import { startTargets } from '../targets/start-targets.js'

export interface SoakOptions {
  minutes: number
  rate: number
  sampleEveryMs: number
  warmupMinutes: number
  prefix: string[]
}

export interface SoakSample { t: number, rssMiB: Record<string, number>, fds: Record<string, number> }

export interface SoakProcessResult {
  name: string
  rssStartMiB: number
  rssEndMiB: number
  /** Least-squares slope of RSS after warm-up. */
  rssGrowthMiBPerMin: number
  fdsStart: number
  fdsEnd: number
  /** Least-squares slope of open file descriptors (sockets included) after warm-up. */
  fdsGrowthPerMin: number
  loopDelayP99MaxMs: number
  loopDelay: Array<{ t: number, p99Ms: number }>
  /**
   * Slopes after warm-up of what RSS is made of (sampled by the probe every interval): the JS heap
   * in use (sampled between collections, so noisy; a leak shows over a long run), and memory held
   * outside it by JS objects, of which ArrayBuffers and Buffers. Undefined without probe lines.
   */
  heapUsedGrowthMiBPerMin?: number
  /** The JS heap V8 committed (in use or not): RSS that steps with it is heap space kept, not data. */
  heapTotalGrowthMiBPerMin?: number
  externalGrowthMiBPerMin?: number
  arrayBuffersGrowthMiBPerMin?: number
  /** Every probe sample of the process's memory, for a reading of the run after the fact. */
  memory: MemoryLine[]
}

type MemoryField = 'heapUsedMiB' | 'heapTotalMiB' | 'externalMiB' | 'arrayBuffersMiB'
export type MemoryLine = { t: number } & Partial<Record<MemoryField, number>>

export interface SoakResult {
  minutes: number
  rate: number
  sent: number
  completed: number
  errors: number
  /**
   * Answers completed while the load was being sent, and requests still unanswered when it stopped:
   * a server that cannot carry `rate` builds a backlog (an open loop does not slow down for it),
   * which the soak then drains before its final sample.
   */
  completedWhileSending: number
  backlogAtEnd: number
  drainMs: number
  /** The first few failures as seen by the load generator (status and body, or the error), to print. */
  firstErrors: string[]
  samples: SoakSample[]
  processes: SoakProcessResult[]
}

function slopePerMinute (points: Array<[number, number]>): number {
  if (points.length < 2) return Number.NaN
  const n = points.length
  const mx = points.reduce((a, [x]) => a + x, 0) / n
  const my = points.reduce((a, [, y]) => a + y, 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) { num += (x - mx) * (y - my); den += (x - mx) ** 2 }
  return den === 0 ? 0 : (num / den) * 60_000
}

type ProbeLine = MemoryLine & { p99Ms: number }

function readProbe (file: string): ProbeLine[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProbeLine)
  } catch {
    return []
  }
}

/** The slope of one probe field after warm-up; undefined when the probe did not record it. */
function probeSlope (lines: ProbeLine[], field: MemoryField): number | undefined {
  const points = lines.flatMap((l): Array<[number, number]> => {
    const value = l[field]
    return value === undefined ? [] : [[l.t, value]]
  })
  return points.length < 2 ? undefined : slopePerMinute(points)
}

/**
 * The soak: `rate` requests a second through the gateway for `minutes`, streams and non-streams
 * alternating, while RSS, open file descriptors and event-loop delay of every server are sampled
 * every `sampleEveryMs`. Growth is judged after the warm-up only (JIT, pools and caches filling).
 */
export async function runSoak (opts: SoakOptions): Promise<SoakResult> {
  const loopDir = mkdtempSync(join(tmpdir(), 'switchyard-soak-'))
  const targets = await startTargets({ prefix: opts.prefix, loopDelayDir: loopDir })
  const switchyard = targets.all.find((t) => t.name === 'SWITCHYARD')
  if (switchyard === undefined) throw new Error('no SWITCHYARD target')
  const processes: ServiceProcess[] = [targets.mock, ...switchyard.processes]
  const url = new URL(switchyard.url)
  const pool = new Pool(url.origin, { connections: 512, keepAliveTimeout: 30_000 })
  const bodies = [completionBody(false), completionBody(true)]
  const samples: SoakSample[] = []
  let sent = 0
  let completed = 0
  let errors = 0
  const firstErrors: string[] = []
  const fail = (what: string) => {
    errors++
    if (firstErrors.length < 10) firstErrors.push(what)
  }
  const sample = () => {
    samples.push({
      t: Date.now(),
      rssMiB: Object.fromEntries(processes.map((p) => [p.name, p.rssBytes() / 2 ** 20])),
      fds: Object.fromEntries(processes.map((p) => [p.name, openFds(p.pid)]))
    })
  }
  try {
    const t0 = performance.now()
    const end = t0 + opts.minutes * 60_000
    const sampler = setInterval(sample, opts.sampleEveryMs)
    sample()
    const inFlight = new Set<Promise<void>>()
    for (let i = 0; ; i++) {
      const due = t0 + (i * 1000) / opts.rate
      if (due >= end) break
      const wait = due - performance.now()
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
      sent++
      const p = (async () => {
        try {
          const res = await pool.request({ method: 'POST', path: url.pathname, headers: { 'content-type': 'application/json', ...switchyard.headers }, body: bodies[i % 2] })
          if (res.statusCode === 200) {
            await res.body.dump({ limit: 1 << 20 })
            completed++
          } else {
            fail(`HTTP ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`)
          }
        } catch (err) {
          fail(String(err))
        }
      })()
      inFlight.add(p)
      void p.finally(() => inFlight.delete(p))
    }
    const completedWhileSending = completed
    const backlogAtEnd = inFlight.size
    const drainStart = performance.now()
    await Promise.all(inFlight)
    const drainMs = performance.now() - drainStart
    clearInterval(sampler)
    sample()
    const warmupEnd = samples[0] === undefined ? 0 : samples[0].t + opts.warmupMinutes * 60_000
    const results: SoakProcessResult[] = processes.map((p) => {
      const after = samples.filter((s) => s.t >= warmupEnd)
      const loopDelay = readProbe(join(loopDir, `${p.name}.jsonl`))
      const probedAfter = loopDelay.filter((l) => l.t >= warmupEnd)
      return {
        name: p.name,
        rssStartMiB: samples[0]?.rssMiB[p.name] ?? Number.NaN,
        rssEndMiB: samples.at(-1)?.rssMiB[p.name] ?? Number.NaN,
        rssGrowthMiBPerMin: slopePerMinute(after.map((s) => [s.t, s.rssMiB[p.name] ?? 0])),
        fdsStart: samples[0]?.fds[p.name] ?? 0,
        fdsEnd: samples.at(-1)?.fds[p.name] ?? 0,
        fdsGrowthPerMin: slopePerMinute(after.map((s) => [s.t, s.fds[p.name] ?? 0])),
        loopDelayP99MaxMs: Math.max(0, ...loopDelay.filter((l) => l.t >= warmupEnd).map((l) => l.p99Ms)),
        loopDelay: loopDelay.map((l) => ({ t: l.t, p99Ms: l.p99Ms })),
        heapUsedGrowthMiBPerMin: probeSlope(probedAfter, 'heapUsedMiB'),
        heapTotalGrowthMiBPerMin: probeSlope(probedAfter, 'heapTotalMiB'),
        externalGrowthMiBPerMin: probeSlope(probedAfter, 'externalMiB'),
        arrayBuffersGrowthMiBPerMin: probeSlope(probedAfter, 'arrayBuffersMiB'),
        memory: loopDelay.map(({ t, heapUsedMiB, heapTotalMiB, externalMiB, arrayBuffersMiB }) => ({ t, heapUsedMiB, heapTotalMiB, externalMiB, arrayBuffersMiB }))
      }
    })
    return { minutes: opts.minutes, rate: opts.rate, sent, completed, errors, completedWhileSending, backlogAtEnd, drainMs, firstErrors, samples, processes: results }
  } finally {
    await pool.close()
    await targets.stop()
    rmSync(loopDir, { recursive: true, force: true })
  }
}
