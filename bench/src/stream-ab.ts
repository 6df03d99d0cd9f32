// Streams at a fixed rate through FLOOR2 and the SWITCHYARD of one or more built checkouts, in
// alternated rounds of a few seconds in random order, each paired with FLOOR2 of the same round:
// on this machine the stream figures drift by more than the differences worth knowing, and only
// a difference taken within one round separates them.
//
//   ROOTS=/work/a,/work/b ROUNDS=10 SECS=4 RATE=200 pnpm --filter @switchyard/bench exec tsx src/stream-ab.ts
//
// ROOTS: checkouts whose built gateway and proxy-router run as SWITCHYARD (default: this one).
// JSON=1 sends non-streamed requests instead. Prints each round, then per target the median over
// rounds of its TTFB, time to first content and CPU per request, and the same against FLOOR2.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openLoop } from './load/open-loop.js'
import { startTargets, type Target, type Targets } from './targets/start-targets.js'

const rate = Number(process.env['RATE'] ?? 200)
const seconds = Number(process.env['SECS'] ?? 4)
const rounds = Number(process.env['ROUNDS'] ?? 10)
const stream = process.env['JSON'] !== '1'
const here = fileURLToPath(new URL('../../', import.meta.url))
const roots = (process.env['ROOTS'] ?? here).split(',').map((r) => resolve(r))

interface Row { ttfb: number, ttfc: number, total: number, cpu: number }

const median = (values: number[]): number => {
  const sorted = values.slice().sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** ms with two decimals; '—' where there is none (TTFB of a JSON answer). */
const ms = (v: number): string => Number.isNaN(v) ? '—' : v.toFixed(2)

const stacks: Targets[] = []
try {
  for (const root of roots) stacks.push(await startTargets({ prefix: ['taskset', '-c', '1'], servicesRoot: root }))
  const pick = (t: Targets, name: Target['name']): Target => {
    const target = t.all.find((x) => x.name === name)
    if (target === undefined) throw new Error(`no ${name} target`)
    return target
  }
  const list = [{ name: 'FLOOR2', target: pick(stacks[0]!, 'FLOOR2') }, ...stacks.map((t, i) => ({ name: roots[i]!, target: pick(t, 'SWITCHYARD') }))]
  const rows = new Map<string, Row[]>(list.map((x) => [x.name, []]))
  for (const x of list) await openLoop(x.target.url, x.target.headers, rate, 4, stream) // warm-up
  for (let round = 1; round <= rounds; round++) {
    // A random order each round: no target always follows the same one.
    const order = list.map((x) => ({ x, key: Math.random() })).sort((a, b) => a.key - b.key).map(({ x }) => x)
    for (const { name, target } of order) {
      await openLoop(target.url, target.headers, rate, 1, stream)
      const before = target.processes.map((p) => p.cpuMicros())
      const run = await openLoop(target.url, target.headers, rate, seconds, stream)
      const each = target.processes.map((p, i) => (p.cpuMicros() - before[i]!) / Math.max(1, run.sent))
      const row = { ttfb: median(run.ttfbs), ttfc: median(run.ttfcs), total: median(run.latencies), cpu: each.reduce((a, b) => a + b, 0) }
      rows.get(name)!.push(row)
      console.log(`round ${round} ${name}: TTFB ${ms(row.ttfb)} ms, TTFC ${ms(row.ttfc)} ms, total ${ms(row.total)} ms, CPU ${row.cpu.toFixed(0)} µs (${each.map((c) => c.toFixed(0)).join(' + ')}), errors ${run.errors}`)
    }
  }
  const floor = rows.get('FLOOR2')!
  console.log('\nmedians over rounds (against FLOOR2 of the same round):')
  for (const [name, r] of rows) {
    console.log(`  ${name}: TTFB ${ms(median(r.map((x) => x.ttfb)))} (${ms(median(r.map((x, i) => x.ttfb - floor[i]!.ttfb)))}) ms, ` +
      `TTFC ${ms(median(r.map((x) => x.ttfc)))} (${ms(median(r.map((x, i) => x.ttfc - floor[i]!.ttfc)))}) ms, ` +
      `total ${ms(median(r.map((x) => x.total)))} (${ms(median(r.map((x, i) => x.total - floor[i]!.total)))}) ms, ` +
      `CPU ${median(r.map((x) => x.cpu)).toFixed(0)} µs (× ${median(r.map((x, i) => x.cpu / floor[i]!.cpu)).toFixed(2)})`)
  }
} finally {
  for (const t of stacks) await t.stop()
}
