import { writeFileSync } from 'node:fs'
import { lineChartSvg } from '../chart/line-chart-svg.js'
import { svgToPng } from '../chart/svg-to-png.js'
import type { SoakResult } from './run-soak.js'

/** Prints the soak's verdicts and writes its JSON, SVG and (with Chromium) PNG side by side. */
export async function reportSoak (result: SoakResult, basePath: string, machine: string): Promise<void> {
  console.log(`\nsoak: ${result.minutes} min at ${result.rate} req/s (streams and non-streams alternating): sent ${result.sent}, completed ${result.completed}, errors ${result.errors}`)
  console.log(`  while sending: ${result.completedWhileSending} completed (${(result.completedWhileSending / (result.minutes * 60)).toFixed(0)}/s); unanswered when sending stopped: ${result.backlogAtEnd}, drained in ${(result.drainMs / 1000).toFixed(0)} s`)
  for (const e of result.firstErrors) console.log(`  error: ${e}`)
  console.log('  process        RSS start → end MiB   growth after warm-up   fds start → end (growth/min)   loop delay p99 max')
  for (const p of result.processes) {
    console.log(`  ${p.name.padEnd(13)}  ${p.rssStartMiB.toFixed(0).padStart(5)} → ${p.rssEndMiB.toFixed(0).padEnd(10)}  ${(p.rssGrowthMiBPerMin * 1.048576).toFixed(2).padStart(6)} MB/min          ${String(p.fdsStart).padStart(5)} → ${String(p.fdsEnd).padEnd(6)} (${p.fdsGrowthPerMin.toFixed(2)})         ${p.loopDelayP99MaxMs.toFixed(1)} ms`)
  }
  // What the RSS growth is made of: a JS heap that keeps growing is a leak in JS; a flat heap
  // under rising RSS is heap space V8 committed and kept (committed), Buffers (external) or the
  // allocator keeping pages.
  const mb = (v: number | undefined): string => v === undefined ? '—' : `${(v * 1.048576).toFixed(2)}`
  console.log('  growth after warm-up, MB/min:  JS heap used   JS heap committed   external (of which ArrayBuffers)')
  for (const p of result.processes) {
    console.log(`  ${p.name.padEnd(13)}                  ${mb(p.heapUsedGrowthMiBPerMin).padStart(6)}        ${mb(p.heapTotalGrowthMiBPerMin).padStart(6)}              ${mb(p.externalGrowthMiBPerMin).padStart(6)} (${mb(p.arrayBuffersGrowthMiBPerMin)})`)
  }
  const t0 = result.samples[0]?.t ?? 0
  const svg = lineChartSvg(`Soak: ${result.rate} req/s for ${result.minutes} min`, [
    {
      title: 'Resident memory',
      unit: 'MiB',
      series: result.processes.map((p) => ({ name: p.name, points: result.samples.map((s): [number, number] => [s.t - t0, s.rssMiB[p.name] ?? 0]) }))
    },
    {
      title: 'JS heap committed (heapTotal)',
      unit: 'MiB',
      series: result.processes.map((p) => ({ name: p.name, points: p.memory.flatMap((m): Array<[number, number]> => m.heapTotalMiB === undefined ? [] : [[m.t - t0, m.heapTotalMiB]]) }))
    },
    {
      title: 'Event-loop delay p99 (per sample interval)',
      unit: 'ms',
      series: result.processes.map((p) => ({ name: p.name, points: p.loopDelay.map((l): [number, number] => [l.t - t0, l.p99Ms]) }))
    },
    {
      title: 'Open file descriptors (sockets included)',
      unit: 'fds',
      series: result.processes.map((p) => ({ name: p.name, points: result.samples.map((s): [number, number] => [s.t - t0, s.fds[p.name] ?? 0]) }))
    }
  ])
  writeFileSync(`${basePath}.json`, JSON.stringify({ machine, ...result }, null, 2))
  writeFileSync(`${basePath}.svg`, svg)
  const png = await svgToPng(svg, `${basePath}.png`)
  console.log(`written: ${basePath}.json, .svg${png ? ', .png' : ' (no PNG: Chromium not installed)'}`)
}
