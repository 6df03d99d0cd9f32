import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { closedPort } from '@switchyard/testing'

export const packageRoot = fileURLToPath(new URL('../..', import.meta.url))
export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url))
// By path: `--import tsx` would be resolved from the child's working directory (a temp dir).
const tsxLoader = pathToFileURL(join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href

export interface Running {
  proc: ChildProcess
  stdout: string[]
  stderr: string[]
  /** Exit code once the process is gone. */
  exited: Promise<number | null>
  /** Resolves with the first stdout line matching, rejects if the process exits first. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>
}

/** The environment a fresh shell would have, minus anything from this test run that could leak in. */
export function cleanEnv (extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...extra }
}

/** Runs `node <script> ...args` (TypeScript through tsx) in `cwd` and collects its output lines. */
export function run (script: string, args: string[], opts: { cwd: string, env: Record<string, string> }): Running {
  const proc = spawn(process.execPath, ['--import', tsxLoader, script, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  const stdout: string[] = []
  const stderr: string[] = []
  const waiters: Array<{ pattern: RegExp, resolve: (line: string) => void }> = []
  createInterface({ input: proc.stdout }).on('line', (line) => {
    stdout.push(line)
    for (const w of waiters) if (w.pattern.test(line)) w.resolve(line)
  })
  createInterface({ input: proc.stderr }).on('line', (line) => stderr.push(line))
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)))
  const waitFor = async (pattern: RegExp, timeoutMs = 150_000): Promise<string> => {
    const seen = stdout.find((l) => pattern.test(l))
    if (seen !== undefined) return seen
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${[...stdout, ...stderr].join('\n')}`)), timeoutMs)
      waiters.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line) } })
      void exited.then((code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before ${pattern}:\n${[...stdout, ...stderr].join('\n')}`)) })
    })
  }
  return { proc, stdout, stderr, exited, waitFor }
}

/** Four ports nothing listens on, for the four services of one supervisor run. */
export async function freePorts (): Promise<Record<'GATEWAY_PORT' | 'ROUTER_PORT' | 'HEALTH_PORT' | 'MOCK_PROVIDER_PORT', string>> {
  const ports = new Set<number>()
  while (ports.size < 4) ports.add(await closedPort())
  const [g, r, h, m] = [...ports].map(String) as [string, string, string, string]
  return { GATEWAY_PORT: g, ROUTER_PORT: r, HEALTH_PORT: h, MOCK_PROVIDER_PORT: m }
}

/** Occupies a port the way another program would. */
export async function holdPort (port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

/** True when nothing listens on the port any more. */
export async function portIsFree (port: number): Promise<boolean> {
  const server = createServer()
  return await new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
