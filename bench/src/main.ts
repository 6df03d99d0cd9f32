// `pnpm bench`: what Switchyard costs on top of the provider, measured the way production runs —
// mock provider, proxy-router and gateway each in its own process, on this machine's Postgres and
// Redis, every feature on — side by side with DIRECT (straight to the mock) and FLOOR2 (two
// minimal Fastify + undici hops), interleaved repetition by repetition so drift hits every
// target alike. Prints a table and writes JSON under bench/results/. Bounded; stops by itself.
//   pnpm bench            3 repetitions, 10 s per run (~8 min)
//   pnpm bench --quick    3 repetitions, 2 s per run (~1 min)
//   pnpm bench --soak     10 min at 300 req/s: RSS, file descriptors and event-loop delay over time
//   pnpm bench --replay   the 12-call replay, 50 of them at once, 2,000 streams held open at once
//                         (also the last part of the full run; not of --quick)
//   pnpm bench --services ../baseline   SWITCHYARD from another checkout's built services (a baseline)
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { infraFor } from '@switchyard/testing'
import { checkTargets, printTable, summarise } from './report.js'
import { measure, scenarios, type Sample } from './scenarios.js'
import { placeProcesses } from './system/cpus.js'
import { startTargets } from './targets/start-targets.js'
import { closedLoop } from './load/closed-loop.js'
import { reportSoak } from './soak/report-soak.js'
import { runSoak } from './soak/run-soak.js'
import { reportReplay } from './replay/report-replay.js'
import { runReplay } from './replay/run-replay.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    seconds: { type: 'string' },
    soak: { type: 'boolean', default: false },
    services: { type: 'string' },
    'soak-minutes': { type: 'string' },
    replay: { type: 'boolean', default: false },
    'burst-streams': { type: 'string' },
    'replay-sequences': { type: 'string' }
  }
})
const reps = Number(values.reps ?? 3)
const seconds = Number(values.seconds ?? (values.quick === true ? 2 : 10))
const warmupSeconds = values.quick === true ? 6 : 15

const infra = await infraFor('bench', ['postgres', 'redis'])
if (!infra.ok) {
  console.error(`pnpm bench needs this machine's Postgres and Redis: ${infra.reason}`)
  process.exit(1)
}

const placement = placeProcesses()
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
console.log(`machine: ${machine}\nplacement: ${placement.description}\nrepetitions: ${reps} × ${seconds} s per scenario and target`)

const resultsDir = new URL('../results/', import.meta.url)
mkdirSync(resultsDir, { recursive: true })
const stamp = new Date().toISOString().replace(/[:.]/g, '-')

if (values.soak === true) {
  const minutes = Number(values['soak-minutes'] ?? 10)
  const result = await runSoak({ minutes, rate: 300, sampleEveryMs: 10_000, warmupMinutes: Math.min(2, minutes / 5), prefix: placement.serverPrefix })
  await reportSoak(result, fileURLToPath(new URL(`${stamp}-soak`, resultsDir)), `${machine}; ${placement.description}`)
  process.exit(0)
}

// Relative to where `pnpm bench` was run (pnpm runs this script from bench/).
const servicesRoot = values.services === undefined ? undefined : resolve(process.env['INIT_CWD'] ?? process.cwd(), values.services)
if (servicesRoot !== undefined) console.log(`SWITCHYARD: the built gateway and proxy-router of ${servicesRoot}`)

/** The replay and burst (its own servers: the mock takes per-request directives); returns its error count. */
const replay = async (): Promise<number> => {
  const streams = Number(values['burst-streams'] ?? 2000)
  const sequences = Number(values['replay-sequences'] ?? 50)
  const result = await runReplay({ prefix: placement.serverPrefix, servicesRoot, sequences, streams, holdMs: 30_000, chunkIntervalMs: 3000 })
  const file = new URL(`${stamp}-replay.json`, resultsDir)
  const errors = reportReplay(result, fileURLToPath(file), { services: servicesRoot ?? 'this checkout', machine, placement: placement.description, command: `pnpm bench --replay${streams === 2000 ? '' : ` --burst-streams ${streams}`}${sequences === 50 ? '' : ` --replay-sequences ${sequences}`}` })
  console.log(`\nwritten: bench/results/${file.pathname.split('/').pop() ?? ''}`)
  return errors
}

if (values.replay === true) {
  const errors = await replay()
  process.exit(errors === 0 ? 0 : 1)
}
const targets = await startTargets({ prefix: placement.serverPrefix, servicesRoot, quietKeys: Math.max(0, ...scenarios.map((s) => s.quietKeys ?? 0)) })
const samples: Sample[] = []
try {
  // Warm-up: production processes run for hours, so every target is measured warm. V8 keeps
  // optimising and resizing its young generation for tens of seconds of load; with 1 s of
  // warm-up the services' CPU per request in 2-s runs was well above their steady state (the
  // bigger the code, the longer it takes: it favoured FLOOR2).
  for (const t of targets.all) await closedLoop(t.url, t.headers, 50, warmupSeconds)
  for (const def of scenarios) {
    for (let rep = 1; rep <= reps; rep++) {
      for (const target of targets.all) {
        samples.push(await measure(def, target, rep, seconds))
      }
    }
    process.stdout.write('.')
  }
  const rss = Object.fromEntries([targets.mock, ...targets.all.flatMap((t) => t.processes)].map((p) => [p.name, Math.round(p.rssBytes() / 2 ** 20)]))
  const summaries = summarise(samples)
  printTable(summaries)
  console.log(`\nRSS after the run (MiB): ${Object.entries(rss).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  const checks = checkTargets(summaries)
  console.log('\ntargets (SWITCHYARD vs FLOOR2 of this run):')
  for (const c of checks) console.log(`  ${c.met ? 'met   ' : 'MISSED'}  ${c.goal}: ${c.measured}`)
  const firstContent = (t: 'SWITCHYARD' | 'FLOOR2') => summaries.find((s) => s.scenario.startsWith('streaming') && s.target === t)?.added.ttfcP50Ms?.median
  const [cS, cF] = [firstContent('SWITCHYARD'), firstContent('FLOOR2')]
  // Not a target: the router holds a stream until its first content (so it can still retry), so
  // the first bytes the client gets are the first content; FLOOR2 passes the role chunk on first.
  if (cS !== undefined && cF !== undefined) console.log(`  (info)  stream time to first content added p50 at 200 req/s: ${cS.toFixed(2)} vs ${cF.toFixed(2)} ms`)

  const file = new URL(`${stamp}${values.quick === true ? '-quick' : ''}.json`, resultsDir)
  writeFileSync(file, JSON.stringify({ services: servicesRoot ?? 'this checkout', machine, placement: placement.description, reps, seconds, rssMiB: rss, summaries, checks, samples }, null, 2))
  console.log(`\nwritten: bench/results/${file.pathname.split('/').pop() ?? ''}`)
} finally {
  await targets.stop()
}
// The full run ends with the replay and burst (minutes of waiting by design: not in --quick).
if (values.quick !== true && (await replay()) > 0) process.exitCode = 1
