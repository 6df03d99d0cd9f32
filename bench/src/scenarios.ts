import { closedLoop } from './load/closed-loop.js'
import { openLoop } from './load/open-loop.js'
import { percentile } from './stats.js'
import { pidsNamed, totalCpuMicros } from './system/proc-stats.js'
import { QUIET_KEYS, type Target } from './targets/start-targets.js'

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
  run: (target: Target, seconds: number) => Promise<Omit<Sample, 'scenario' | 'target' | 'rep' | 'serverCpuUsPerReq' | 'postgresCpuUsPerReq' | 'redisCpuUsPerReq'>>
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
    run: async (t, s) => {
      const r = await openLoop(t.url, t.headers, rate, s, false)
      return { requests: r.latencies.length, errors: r.errors, p50Ms: percentile(r.latencies, 0.5), p99Ms: percentile(r.latencies, 0.99) }
    }
  })),
  {
    // No target: what the busy key of the scenarios above does not show (ADR 0030's leases).
    name: `quiet keys: latency at 200 req/s, ${QUIET_KEYS} keys taking turns (open loop)`,
    run: async (t, s) => {
      if (t.quietKeyHeaders.length === 0) throw new Error(`${t.name} has no quiet keys: start the targets with quietKeys`)
      const r = await openLoop(t.url, t.quietKeyHeaders, 200, s, false)
      return { requests: r.latencies.length, errors: r.errors, p50Ms: percentile(r.latencies, 0.5), p99Ms: percentile(r.latencies, 0.99) }
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
