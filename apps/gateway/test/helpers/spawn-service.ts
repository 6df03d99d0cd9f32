import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface SpawnedService {
  url: string
  proc: ChildProcess
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
  logs: string[]
}

/**
 * Runs a service's real entry point (`src/server.ts` under tsx) as a child process on port 0 and
 * resolves once it logs its listening address: how shutdown behaviour is tested for real signals.
 */
export async function spawnService (cwd: string, env: Record<string, string>): Promise<SpawnedService> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const logs: string[] = []
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  createInterface({ input: proc.stderr! }).on('line', (l) => logs.push(l))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service in ${cwd} did not start:\n${logs.join('\n')}`)), 60_000)
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      logs.push(line)
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
    })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`service exited with ${code}:\n${logs.join('\n')}`)) })
  })
  return { url, proc, exited, logs }
}
