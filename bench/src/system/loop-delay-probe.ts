// Preloaded into each server the soak starts (`node --import <this file>`): samples the event-loop
// delay with perf_hooks and appends one JSON line per interval to BENCH_LOOP_DELAY_FILE, so the
// soak can report it without any change to the services themselves. Erasable TypeScript only:
// Node 24 runs it without a build.
import { appendFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env['BENCH_LOOP_DELAY_FILE']
const every = Number(process.env['BENCH_LOOP_DELAY_INTERVAL_MS'] ?? 10_000)
// The histogram records the time between two firings of a timer set to fire every RESOLUTION_MS:
// an idle process reports ~10 ms at every percentile. The delay is what exceeds the resolution.
const RESOLUTION_MS = 10
const delayMs = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS)
if (file !== undefined && file !== '') {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  setInterval(() => {
    appendFileSync(file, JSON.stringify({
      t: Date.now(),
      p50Ms: delayMs(histogram.percentile(50)),
      p99Ms: delayMs(histogram.percentile(99)),
      maxMs: delayMs(histogram.max)
    }) + '\n')
    histogram.reset()
  }, every).unref()
}
