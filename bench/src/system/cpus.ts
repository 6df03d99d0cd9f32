import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/**
 * CPU placement: with taskset and at least two CPUs, the load generator (this process) runs on
 * CPU 0 and every server on the others, so the generator's own work never competes with what is
 * measured. Without it everything shares the machine and the report says so.
 */
export interface Placement {
  pinned: boolean
  /** Prefix for server commands, e.g. ['taskset', '-c', '1-3']. */
  serverPrefix: string[]
  description: string
}

function hasTaskset (): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function placeProcesses (): Placement {
  const cpus = availableParallelism()
  if (cpus < 2 || !hasTaskset()) {
    return { pinned: false, serverPrefix: [], description: `${cpus} CPU(s), not pinned (needs taskset and ≥ 2 CPUs)` }
  }
  execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' })
  const serverCpus = cpus === 2 ? '1' : `1-${cpus - 1}`
  return { pinned: true, serverPrefix: ['taskset', '-c', serverCpus], description: `load generator on CPU 0, servers on CPU ${serverCpus} (of ${cpus})` }
}
