import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { request } from 'undici'
import { cpuMicros, rssBytes } from './proc-stats.js'

/** A server started as its own process, as in production (`node dist/server.js`). */
export interface ServiceProcess {
  name: string
  pid: number
  url: string
  cpuMicros: () => number
  rssBytes: () => number
  stop: () => Promise<void>
}

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function waitUntilAnswering (url: string, child: ChildProcess, name: string, output: () => string): Promise<void> {
  // Generous: on a 2-core machine shared with other work a service can take this long to boot.
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering:\n${output()}`)
    try {
      const res = await request(url, { headersTimeout: 1000, bodyTimeout: 1000 })
      await res.body.dump()
      if (res.statusCode < 500) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${name} did not answer ${url} within 120 s:\n${output()}`)
}

export async function startServiceProcess (opts: {
  name: string
  script: string
  env: Record<string, string>
  port: number
  readyPath: string
  prefix: string[]
  /** Extra node flags, e.g. ['--import', probe] for the soak's event-loop probe. */
  nodeArgs?: string[]
}): Promise<ServiceProcess> {
  const [command, ...args] = [...opts.prefix, process.execPath, ...(opts.nodeArgs ?? []), opts.script]
  if (command === undefined) throw new Error('no command')
  const child = spawn(command, args, {
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const url = `http://127.0.0.1:${opts.port}`
  try {
    await waitUntilAnswering(url + opts.readyPath, child, opts.name, () => output)
  } catch (err) {
    // Not yet in the caller's list of started processes: stop it here or it outlives the bench.
    child.kill('SIGKILL')
    throw err
  }
  // With taskset as a prefix the child is taskset, which execs node: the pid is node's.
  const pid = child.pid ?? 0
  return {
    name: opts.name,
    pid,
    url,
    cpuMicros: () => cpuMicros(pid),
    rssBytes: () => rssBytes(pid),
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await once(child, 'exit')
      clearTimeout(timer)
    }
  }
}
