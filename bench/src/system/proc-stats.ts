import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

// Process figures straight from /proc, so they cost the measured processes nothing.

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** User + system CPU time the process has used so far, in microseconds (0 when it is gone). */
export function cpuMicros (pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6
  } catch {
    return 0
  }
}

/** Resident set size in bytes (0 when the process is gone). */
export function rssBytes (pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /VmRSS:\s+(\d+) kB/.exec(status)
    return match === null ? 0 : Number(match[1]) * 1024
  } catch {
    return 0
  }
}

/** Open file descriptors (sockets included); 0 when unreadable. */
export function openFds (pid: number): number {
  try {
    return execFileSync('ls', [`/proc/${pid}/fd`], { encoding: 'utf8' }).split('\n').filter(Boolean).length
  } catch {
    return 0
  }
}

/** Pids of every process with this exact command name (e.g. `postgres`, `redis-server`). */
export function pidsNamed (name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}

export function totalCpuMicros (pids: number[]): number {
  let sum = 0
  for (const pid of pids) sum += cpuMicros(pid)
  return sum
}
