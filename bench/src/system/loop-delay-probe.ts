// Preloaded into each server the soak starts (`node --import <this file>`): samples the event-loop
// delay with perf_hooks, and what the process's memory is made of (process.memoryUsage: the JS
// heap in use and committed, memory outside it held by JS objects, ArrayBuffers and Buffers), and appends one JSON line
// per interval to BENCH_LOOP_DELAY_FILE, so the soak can report it without any change to the
// services themselves. Erasable TypeScript only: Node 24 runs it without a build.
import { appendFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env['BENCH_LOOP_DELAY_FILE']
const every = Number(process.env['BENCH_LOOP_DELAY_INTERVAL_MS'] ?? 10_000)
// The histogram records the time between two firings of a timer set to fire every RESOLUTION_MS:
// an idle process reports ~10 ms at every percentile. The delay is what exceeds the resolution.
const RESOLUTION_MS = 10
const delayMs = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS)
const MiB = 2 ** 20
function memory (): { heapUsedMiB: number, heapTotalMiB: number, externalMiB: number, arrayBuffersMiB: number } {
  const m = process.memoryUsage()
  return { heapUsedMiB: m.heapUsed / MiB, heapTotalMiB: m.heapTotal / MiB, externalMiB: m.external / MiB, arrayBuffersMiB: m.arrayBuffers / MiB }
}

if (file !== undefined && file !== '') {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  setInterval(() => {
    appendFileSync(file, JSON.stringify({
      t: Date.now(),
      p50Ms: delayMs(histogram.percentile(50)),
      p99Ms: delayMs(histogram.percentile(99)),
      maxMs: delayMs(histogram.max),
      // RSS alone cannot say whether a rise is the JS heap (a leak in our code), heap space V8
      // committed and kept (heapTotal), Buffers, or the allocator keeping freed pages; the soak
      // reports the slope of each.
      ...memory()
    }) + '\n')
    histogram.reset()
  }, every).unref()
}
