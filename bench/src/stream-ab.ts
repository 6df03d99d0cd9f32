// One of `pnpm bench`'s scenarios (default: streaming at 200 req/s) through FLOOR2 and the
// SWITCHYARD of one or more built checkouts, in alternated rounds of a few seconds in random
// order, each paired with FLOOR2 of the same round: on this machine the stream figures drift by
// more than the differences worth knowing, and only a difference taken within one round
// separates them.
//
//   ROOTS=/work/a,/work/b ROUNDS=10 SECS=4 pnpm --filter @switchyard/bench exec tsx src/stream-ab.ts
//
// ROOTS: checkouts whose built gateway and proxy-router run as SWITCHYARD (default: this one).
// SCENARIO: the start of a scenario's name (default `streaming`; `latency at 500` for JSON).
// SEGMENTS=1: every server also splits the requests it serves into segments (system/segment-probe.ts):
// before its upstream call, the wait for the upstream's headers, and from them to its own first
// write; the mock, the time to its first write. The end-to-end figures drift by more than a change
// of tens of µs on one hop; a segment's median over hundreds of requests does not.
// Prints each round, then per target the median over rounds of its TTFB, time to first content,
// p50 and server CPU per request, each also against FLOOR2 of the same round.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measure, scenarios, type Sample } from './scenarios.js'
import { percentile } from './stats.js'
import { collectSegments, showSegmentMedians, showSegments, type Segments } from './system/segments.js'
import { startTargets, type Target, type Targets } from './targets/start-targets.js'

const seconds = Number(process.env['SECS'] ?? 4)
const rounds = Number(process.env['ROUNDS'] ?? 10)
const prefix = process.env['SCENARIO'] ?? 'streaming'
const def = scenarios.find((s) => s.name.startsWith(prefix))
if (def === undefined) throw new Error(`no scenario named ${prefix}…; there are: ${scenarios.map((s) => s.name).join('; ')}`)
const here = fileURLToPath(new URL('../../', import.meta.url))
const roots = (process.env['ROOTS'] ?? here).split(',').map((r) => resolve(r))

/** The figures compared, read off a sample (NaN where the scenario has none: TTFB of JSON). */
const figures = {
  TTFB: (s: Sample) => s.ttfbP50Ms ?? Number.NaN,
  TTFC: (s: Sample) => s.ttfcP50Ms ?? Number.NaN,
  p50: (s: Sample) => s.p50Ms ?? Number.NaN,
  CPU: (s: Sample) => s.serverCpuUsPerReq ?? Number.NaN
}
const median = (values: number[]): number => percentile(values, 0.5)
const show = (name: string, v: number): string => Number.isNaN(v) ? '—' : name === 'CPU' ? `${v.toFixed(0)} µs` : `${v.toFixed(2)} ms`

const withSegments = process.env['SEGMENTS'] === '1'
const segmentDirs = roots.map(() => withSegments ? mkdtempSync(join(tmpdir(), 'switchyard-segments-')) : undefined)

const stacks: Targets[] = []
try {
  for (const [i, root] of roots.entries()) stacks.push(await startTargets({ prefix: ['taskset', '-c', '1'], servicesRoot: root, segmentsDir: segmentDirs[i], quietKeys: def.quietKeys ?? 0 }))
  const pick = (t: Targets, name: Target['name']): Target => {
    const target = t.all.find((x) => x.name === name)
    if (target === undefined) throw new Error(`no ${name} target`)
    return target
  }
  // Each target with the mock it calls and where its servers write their segments.
  const list = [
    { name: 'FLOOR2', target: pick(stacks[0]!, 'FLOOR2'), mock: stacks[0]!.mock, dir: segmentDirs[0] },
    ...stacks.map((t, i) => ({ name: roots[i]!, target: pick(t, 'SWITCHYARD'), mock: t.mock, dir: segmentDirs[i] }))
  ]
  const samples = new Map<string, Sample[]>(list.map((x) => [x.name, []]))
  const segments = new Map<string, Array<Map<string, Segments>>>(list.map((x) => [x.name, []]))
  for (const { target, mock, dir } of list) {
    await def.run(target, 4) // warm-up
    if (dir !== undefined) await collectSegments(dir, [...target.processes, mock]) // not counted
  }
  for (let round = 1; round <= rounds; round++) {
    // A random order each round: no target always follows the same one.
    const order = list.map((x) => ({ x, key: Math.random() })).sort((a, b) => a.key - b.key).map(({ x }) => x)
    for (const { name, target, mock, dir } of order) {
      const s = await measure(def, target, round, seconds)
      samples.get(name)!.push(s)
      console.log(`round ${round} ${name}: ${Object.entries(figures).map(([f, read]) => `${f} ${show(f, read(s))}`).join(', ')}, errors ${s.errors}`)
      if (dir !== undefined) {
        const seg = await collectSegments(dir, [...target.processes, mock])
        segments.get(name)!.push(seg)
        console.log(`  segments: ${showSegments(seg)}`)
      }
    }
  }
  const floor = samples.get('FLOOR2')!
  console.log(`\n${def.name}: medians over rounds (in brackets: against FLOOR2 of the same round)`)
  for (const [name, list] of samples) {
    console.log(`  ${name}: ` + Object.entries(figures).map(([f, read]) => {
      const paired = f === 'CPU'
        ? `× ${median(list.map((s, i) => read(s) / read(floor[i]!))).toFixed(2)}`
        : show(f, median(list.map((s, i) => read(s) - read(floor[i]!))))
      return `${f} ${show(f, median(list.map(read)))} (${paired})`
    }).join(', '))
  }
  if (withSegments) {
    console.log('\nsegments, µs: medians over rounds of each server\'s medians')
    for (const [name, rounds] of segments) console.log(`  ${name}: ${showSegmentMedians(rounds)}`)
  }
} finally {
  for (const t of stacks) await t.stop()
  for (const dir of segmentDirs) if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
}
