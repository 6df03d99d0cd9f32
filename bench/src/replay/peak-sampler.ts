import { openFds } from '../system/proc-stats.js'
import type { ServiceProcess } from '../system/service-process.js'

export interface PeakFigures { rssMiB: number, fds: number }

/**
 * Samples each process's RSS (every `everyMs`) and open file descriptors (every 5th sample:
 * listing /proc/<pid>/fd costs more) while a phase runs, keeping the peaks.
 */
export function samplePeaks (processes: readonly ServiceProcess[], everyMs = 250): { stop: () => Record<string, PeakFigures> } {
  const peaks: Record<string, PeakFigures> = Object.fromEntries(processes.map((p) => [p.name, { rssMiB: 0, fds: 0 }]))
  let n = 0
  const sample = () => {
    const withFds = n++ % 5 === 0
    for (const p of processes) {
      const peak = peaks[p.name]
      if (peak === undefined) continue
      peak.rssMiB = Math.max(peak.rssMiB, p.rssBytes() / 2 ** 20)
      if (withFds) peak.fds = Math.max(peak.fds, openFds(p.pid))
    }
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return peaks
    }
  }
}
