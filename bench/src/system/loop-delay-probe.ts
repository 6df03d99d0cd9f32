// Preloaded into each server the soak starts (`node --import <this file>`): samples the event-loop
// delay with perf_hooks and appends one JSON line per interval to BENCH_LOOP_DELAY_FILE, so the
// soak can report it without any change to the services themselves. Erasable TypeScript only:
// Node 24 runs it without a build.
import { appendFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env['BENCH_LOOP_DELAY_FILE']
const every = Number(process.env['BENCH_LOOP_DELAY_INTERVAL_MS'] ?? 10_000)
if (file !== undefined && file !== '') {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  setInterval(() => {
    appendFileSync(file, JSON.stringify({
      t: Date.now(),
      p50Ms: histogram.percentile(50) / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      maxMs: histogram.max / 1e6
    }) + '\n')
    histogram.reset()
  }, every).unref()
}
