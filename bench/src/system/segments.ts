// Reading what segment-probe.ts writes: each server asked for its segments since the last time
// (SIGWINCH), and the answers shown per round and as medians over rounds.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { percentile } from '../stats.js'
import type { Segments } from './segment-probe.js'
import type { ServiceProcess } from './service-process.js'

export type { Segments }

const names = ['preUs', 'waitUs', 'postUs', 'firstWriteUs'] as const
const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** Asks each process for its segments since the last call and waits for its answer (5 s at most). */
export async function collectSegments (dir: string, processes: ServiceProcess[]): Promise<Map<string, Segments>> {
  const out = new Map<string, Segments>()
  for (const p of processes) {
    const file = join(dir, `${p.name}.json`)
    rmSync(file, { force: true })
    try {
      process.kill(p.pid, 'SIGWINCH')
    } catch (err) {
      throw new Error(`${p.name} (pid ${p.pid}) cannot be asked for its segments`, { cause: err })
    }
    const deadline = Date.now() + 5000
    while (!existsSync(file) && Date.now() < deadline) await sleep(20)
    if (!existsSync(file)) throw new Error(`${p.name} wrote no segments within 5 s of being asked (was it started with the probe?)`)
    // Written at once by the probe (one writeFileSync): a read that catches it half-written is retried.
    let lastError: unknown
    for (let tries = 0; tries < 10 && !out.has(p.name); tries++) {
      try { out.set(p.name, JSON.parse(readFileSync(file, 'utf8')) as Segments) } catch (err) { lastError = err; await sleep(20) }
    }
    if (!out.has(p.name)) throw new Error(`${p.name}'s segments cannot be read (${file})`, { cause: lastError })
  }
  return out
}

/** One round: `name pre … wait … post … firstWrite … (linked/requests)` per server. */
export function showSegments (segments: Map<string, Segments>): string {
  return [...segments].map(([name, s]) =>
    `${name} ${names.filter((k) => s[k] !== null).map((k) => `${k.slice(0, -2)} ${s[k]}`).join(' ')} (${s.linked}/${s.requests} linked)`).join('; ') + ' µs'
}

/** Every server's medians over rounds, one line. */
export function showSegmentMedians (rounds: Array<Map<string, Segments>>): string {
  const servers = [...new Set(rounds.flatMap((r) => [...r.keys()]))]
  return servers.map((server) => `${server} ` + names.map((k) => {
    const values = rounds.map((r) => r.get(server)?.[k]).filter((v): v is number => typeof v === 'number')
    return values.length === 0 ? '' : `${k.slice(0, -2)} ${Math.round(percentile(values, 0.5))}`
  }).filter((x) => x !== '').join(' ')).join('; ')
}
