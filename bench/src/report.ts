import { spread, type Spread } from './stats.js'
import type { Sample } from './scenarios.js'
import type { Target } from './targets/start-targets.js'

type Metric = 'reqPerSec' | 'p50Ms' | 'p99Ms' | 'ttfbP50Ms' | 'ttfcP50Ms' | 'serverCpuUsPerReq' | 'postgresCpuUsPerReq' | 'redisCpuUsPerReq' | 'errors'

export interface Summary {
  scenario: string
  target: Target['name']
  figures: Partial<Record<Metric, Spread>>
  /** Added latency versus DIRECT in the same repetition (p50 / p99 / TTFB / TTFC), ms. */
  added: Partial<Record<'p50Ms' | 'p99Ms' | 'ttfbP50Ms' | 'ttfcP50Ms', Spread>>
}

const metrics: Metric[] = ['reqPerSec', 'p50Ms', 'p99Ms', 'ttfbP50Ms', 'ttfcP50Ms', 'serverCpuUsPerReq', 'postgresCpuUsPerReq', 'redisCpuUsPerReq', 'errors']

export function summarise (samples: Sample[]): Summary[] {
  const out: Summary[] = []
  const keys = [...new Set(samples.map((s) => `${s.scenario}\u0000${s.target}`))]
  for (const key of keys) {
    const [scenario = '', target = 'DIRECT'] = key.split('\u0000') as [string, Target['name']]
    const mine = samples.filter((s) => s.scenario === scenario && s.target === target)
    const figures: Summary['figures'] = {}
    for (const m of metrics) {
      const values = mine.map((s) => s[m]).filter((v): v is number => typeof v === 'number')
      if (values.length > 0) figures[m] = spread(values)
    }
    const added: Summary['added'] = {}
    for (const m of ['p50Ms', 'p99Ms', 'ttfbP50Ms', 'ttfcP50Ms'] as const) {
      const deltas = mine.flatMap((s) => {
        const direct = samples.find((d) => d.scenario === scenario && d.target === 'DIRECT' && d.rep === s.rep)
        const a = s[m]
        const b = direct?.[m]
        return typeof a === 'number' && typeof b === 'number' ? [a - b] : []
      })
      if (deltas.length > 0 && target !== 'DIRECT') added[m] = spread(deltas)
    }
    out.push({ scenario, target, figures, added })
  }
  return out
}

const fmt = (s: Spread | undefined, digits = 1) =>
  s === undefined ? '—' : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`

export function printTable (summaries: Summary[]): void {
  let last = ''
  for (const s of summaries) {
    if (s.scenario !== last) {
      console.log(`\n${s.scenario}`)
      console.log('  target       req/s                 p50 ms             p99 ms              added p50 / p99 ms        TTFB p50 (added) ms      TTFC p50 (added) ms      server CPU µs/req    pg / redis µs/req   errors')
      last = s.scenario
    }
    const f = s.figures
    const added = s.target === 'DIRECT' ? '—' : `${fmt(s.added.p50Ms, 2)} / ${fmt(s.added.p99Ms, 1)}`
    const withAdded = (m: 'ttfbP50Ms' | 'ttfcP50Ms') => f[m] === undefined ? '—' : `${fmt(f[m], 2)} (${s.added[m] === undefined ? '—' : s.added[m].median.toFixed(2)})`
    const ttfb = withAdded('ttfbP50Ms')
    const ttfc = withAdded('ttfcP50Ms')
    console.log(`  ${s.target.padEnd(11)}  ${fmt(f.reqPerSec, 0).padEnd(20)}  ${fmt(f.p50Ms, 2).padEnd(17)}  ${fmt(f.p99Ms, 1).padEnd(18)}  ${added.padEnd(24)}  ${ttfb.padEnd(23)}  ${ttfc.padEnd(23)}  ${fmt(f.serverCpuUsPerReq, 0).padEnd(19)}  ${(f.postgresCpuUsPerReq?.median.toFixed(0) ?? '—') + ' / ' + (f.redisCpuUsPerReq?.median.toFixed(0) ?? '—')}`.padEnd(20) + `   ${f.errors?.max ?? 0}`)
  }
}

/** The targets, SWITCHYARD against FLOOR2 of the same run. */
export function checkTargets (summaries: Summary[]): Array<{ goal: string, measured: string, met: boolean }> {
  const find = (scenario: string, target: Target['name']) => summaries.find((s) => s.scenario.startsWith(scenario) && s.target === target)
  const checks: Array<{ goal: string, measured: string, met: boolean }> = []
  const tS = find('max throughput', 'SWITCHYARD')?.figures.reqPerSec?.median
  const tF = find('max throughput', 'FLOOR2')?.figures.reqPerSec?.median
  if (tS !== undefined && tF !== undefined) checks.push({ goal: 'max throughput ≥ 70% of FLOOR2', measured: `${((tS / tF) * 100).toFixed(0)}%`, met: tS / tF >= 0.7 })
  const l5S = find('latency at 500', 'SWITCHYARD')?.added
  const l5F = find('latency at 500', 'FLOOR2')?.added
  if (l5S?.p50Ms !== undefined && l5F?.p50Ms !== undefined) {
    checks.push({ goal: 'added p50 at 500 req/s ≤ FLOOR2 + 0.5 ms', measured: `${l5S.p50Ms.median.toFixed(2)} vs ${l5F.p50Ms.median.toFixed(2)} ms`, met: l5S.p50Ms.median <= l5F.p50Ms.median + 0.5 })
  }
  if (l5S?.p99Ms !== undefined && l5F?.p99Ms !== undefined) {
    checks.push({ goal: 'added p99 at 500 req/s ≤ 2 × FLOOR2', measured: `${l5S.p99Ms.median.toFixed(1)} vs ${l5F.p99Ms.median.toFixed(1)} ms`, met: l5S.p99Ms.median <= 2 * Math.max(l5F.p99Ms.median, 0) })
  }
  const sS = find('streaming', 'SWITCHYARD')?.added.ttfbP50Ms
  const sF = find('streaming', 'FLOOR2')?.added.ttfbP50Ms
  if (sS !== undefined && sF !== undefined) {
    checks.push({ goal: 'stream TTFB added p50 at 200 req/s ≤ FLOOR2 + 0.5 ms', measured: `${sS.median.toFixed(2)} vs ${sF.median.toFixed(2)} ms`, met: sS.median <= sF.median + 0.5 })
  }
  return checks
}
