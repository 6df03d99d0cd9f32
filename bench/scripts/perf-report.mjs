#!/usr/bin/env node
// usage: node perf-report.mjs <perf.data> <requests> <name>=<pid> ...
// Reads a `perf record -g` of servers started with --perf-basic-prof and prints, per process,
// its on-CPU time per request (all its threads, kernel time included) and its main thread's
// time by JavaScript function: "self" charges every sample to the innermost JS frame on its
// stack (so a syscall, a builtin or GC work done for that function is counted with it),
// "inclusive" counts each function once per stack it is on. Unlike --cpu-prof, whose samples
// are wall-clock intervals, these are samples of a CPU actually running the process: time
// spent preempted by another process on the same CPU is not charged to whatever was running.
import { execFileSync } from 'node:child_process'

const [file, reqArg, ...procs] = process.argv.slice(2)
if (file === undefined || reqArg === undefined || procs.length === 0) {
  console.error('usage: node perf-report.mjs <perf.data> <requests> <name>=<pid> ...')
  process.exit(2)
}
const requests = Number(reqArg)
const top = Number(process.env.TOP ?? 25)
const own = new RegExp(process.env.OWN ?? ' (apps|packages)/')

const script = execFileSync('perf', ['script', '-i', file, '-F', 'pid,tid,period,ip,sym'], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
/** pid → { ns, main: { ns, self: Map, incl: Map } } */
const byPid = new Map()
let head
let frames = []
const clean = (sym) => sym.replace(/\+0x[0-9a-f]+$/, '').replace(/^JS:[*+~^]?'?/, 'JS:').replace(/file:\/\/\/?\S*?\/(apps|packages)\//, '$1/').replace(/\S*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
const flush = () => {
  if (head === undefined) return
  const [pid, tid, period] = head
  let p = byPid.get(pid)
  if (p === undefined) { p = { ns: 0, mainNs: 0, self: new Map(), incl: new Map() }; byPid.set(pid, p) }
  p.ns += period
  if (pid === tid) {
    p.mainNs += period
    const js = frames.filter((f) => f.startsWith('JS:'))
    const selfKey = js[0] ?? `[native] ${frames[0] ?? '?'}`
    p.self.set(selfKey, (p.self.get(selfKey) ?? 0) + period)
    for (const f of new Set(js)) p.incl.set(f, (p.incl.get(f) ?? 0) + period)
  }
  head = undefined
  frames = []
}
for (const line of script.split('\n')) {
  if (line.trim() === '') { flush(); continue }
  // A sample's first line is `pid/tid period`, right-aligned (so indented when the pid is short);
  // its frames follow, indented by a tab.
  const sample = line.match(/^ *(\d+)\/(\d+)\s+(\d+)\s*$/)
  if (sample !== null) {
    flush()
    head = [Number(sample[1]), Number(sample[2]), Number(sample[3])]
    continue
  }
  const m = line.trim().match(/^[0-9a-f]+\s+(.*?)(?:\s+\(.*\))?$/)
  if (m !== null) frames.push(clean(m[1]))
}
flush()

const us = (ns) => (ns / 1000 / requests).toFixed(1).padStart(7)
for (const spec of procs) {
  const [name, pidText] = spec.split('=')
  const p = byPid.get(Number(pidText))
  if (p === undefined) { console.log(`${name}: no samples`); continue }
  console.log(`\n${name}: ${us(p.ns).trim()} µs on CPU per request (main thread ${us(p.mainNs).trim()})`)
  console.log('  self (innermost JS frame), µs per request:')
  for (const [k, v] of [...p.self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${us(v)}  ${k.slice(0, 150)}`)
  console.log(`  inclusive, functions matching ${own}:`)
  for (const [k, v] of [...p.incl].filter(([k]) => own.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${us(v)}  ${k.slice(0, 150)}`)
}
