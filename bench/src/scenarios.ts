import { closedLoop } from './load/closed-loop.js'
import { openLoop } from './load/open-loop.js'
import { percentile } from './stats.js'
import { pidsNamed, totalCpuMicros } from './system/proc-stats.js'
import type { Target } from './targets/start-targets.js'

/** The figures of one scenario run against one target in one repetition. */
export interface Sample {
  scenario: string
  target: Target['name']
  rep: number
  requests: number
  errors: number
  reqPerSec?: number
  p50Ms?: number
  p99Ms?: number
  ttfbP50Ms?: number
  /** Streams: time to the first content (a word), not to the first bytes. */
  ttfcP50Ms?: number
  /** CPU of the target's own servers (not the mock), µs per completed request. */
  serverCpuUsPerReq?: number
  /** CPU of the machine's Postgres and Redis processes during the run, µs per request. */
  postgresCpuUsPerReq?: number
  redisCpuUsPerReq?: number
}

export interface ScenarioDef {
  name: string
  /** Keys besides the busy one that SWITCHYARD must have for it (startTargets' quietKeys). */
  quietKeys?: number
  run: (target: Target, seconds: number) => Promise<Omit<Sample, 'scenario' | 'target' | 'rep' | 'serverCpuUsPerReq' | 'postgresCpuUsPerReq' | 'redisCpuUsPerReq'>>
}

/**
 * Keys the quiet-keys scenario takes turns among: at 200 requests/s each sends 2 a second, far
 * below the 4 within 100 ms that make a key busy and earn it an admission lease (docs/adr/0030),
 * so every request is admitted by its own Redis call, as every request of a key below that
 * threshold is.
 */
const QUIET_KEYS = 100

/** Open-loop JSON requests at `rate`, taking turns among `headers` (one set: a single key). */
async function latency (url: string, headers: Record<string, string> | Array<Record<string, string>>, rate: number, seconds: number): Promise<Pick<Sample, 'requests' | 'errors' | 'p50Ms' | 'p99Ms'>> {
  const r = await openLoop(url, headers, rate, seconds, false)
  return { requests: r.latencies.length, errors: r.errors, p50Ms: percentile(r.latencies, 0.5), p99Ms: percentile(r.latencies, 0.99) }
}

export const scenarios: ScenarioDef[] = [
  {
    name: 'max throughput (closed loop, 50 connections)',
    run: async (t, s) => {
      const r = await closedLoop(t.url, t.headers, 50, s)
      return { requests: r.requests, errors: r.errors, reqPerSec: r.reqPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms }
    }
  },
  ...[200, 500].map((rate): ScenarioDef => ({
    name: `latency at ${rate} req/s (open loop)`,
    run: async (t, s) => await latency(t.url, t.headers, rate, s)
  })),
  {
    // No target: what the busy key of the scenarios above does not show (ADR 0030's leases).
    name: `quiet keys: latency at 200 req/s, ${QUIET_KEYS} keys taking turns (open loop)`,
    quietKeys: QUIET_KEYS,
    run: async (t, s) => {
      if (t.quietKeyHeaders.length === 0) throw new Error(`${t.name} has no quiet keys: start the targets with quietKeys`)
      return await latency(t.url, t.quietKeyHeaders, 200, s)
    }
  },
  {
    name: 'streaming at 200 req/s (open loop)',
    run: async (t, s) => {
      const r = await openLoop(t.url, t.headers, 200, s, true)
      return { requests: r.latencies.length, errors: r.errors, ttfbP50Ms: percentile(r.ttfbs, 0.5), ttfcP50Ms: percentile(r.ttfcs, 0.5), p50Ms: percentile(r.latencies, 0.5), p99Ms: percentile(r.latencies, 0.99) }
    }
  }
]

/** Runs one scenario against one target and adds what it cost in server CPU. */
export async function measure (def: ScenarioDef, target: Target, rep: number, seconds: number): Promise<Sample> {
  const pg = pidsNamed('postgres')
  const redis = pidsNamed('redis-server')
  const pids = target.processes.map((p) => p.pid)
  const before = { server: totalCpuMicros(pids), pg: totalCpuMicros(pg), redis: totalCpuMicros(redis) }
  const result = await def.run(target, seconds)
  const per = (after: number, start: number) => result.requests > 0 ? (after - start) / result.requests : Number.NaN
  return {
    scenario: def.name,
    target: target.name,
    rep,
    ...result,
    serverCpuUsPerReq: pids.length > 0 ? per(totalCpuMicros(pids), before.server) : undefined,
    postgresCpuUsPerReq: per(totalCpuMicros(pg), before.pg),
    redisCpuUsPerReq: per(totalCpuMicros(redis), before.redis)
  }
}
