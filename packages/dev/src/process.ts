import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { ServiceSpec } from './services.js'

const LAST_LINES = 20
const NAME_WIDTH = 'mock-provider'.length

/** A running service process whose output is relayed, prefixed with its name. */
export class ServiceProcess {
  readonly spec: ServiceSpec
  readonly child: ChildProcess
  /** Resolves with the exit code (a signal counts as 1) once the process and its output are done. */
  readonly closed: Promise<number>
  exitCode: number | undefined
  private readonly lastLines: string[] = []

  constructor (spec: ServiceSpec, out: { stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream }) {
    this.spec = spec
    // Own process group (detached): a Ctrl-C in the terminal reaches only the supervisor, which
    // then stops the services one group at a time instead of all at once.
    this.child = spawn(process.execPath, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const prefix = `${spec.name.padEnd(NAME_WIDTH)} | `
    const relay = (stream: NodeJS.ReadableStream, to: NodeJS.WritableStream) => {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.lastLines.push(line)
        if (this.lastLines.length > LAST_LINES) this.lastLines.shift()
        to.write(prefix + line + '\n')
      })
    }
    relay(this.child.stdout!, out.stdout)
    relay(this.child.stderr!, out.stderr)
    this.closed = new Promise((resolve) => {
      this.child.on('close', (code) => {
        this.exitCode = code ?? 1
        resolve(this.exitCode)
      })
      this.child.on('error', (err) => {
        this.lastLines.push(`${spec.name}: ${err.message}`)
        this.exitCode = 1
        resolve(1)
      })
    })
  }

  get running (): boolean { return this.exitCode === undefined }

  /**
   * Why it failed, in one line: the service's own last stderr line (`<name>: <reason>`, see
   * fastify-kit boot-error.ts) without the name, or the last thing it printed.
   */
  reason (): string {
    const own = [...this.lastLines].reverse().find((l) => l.startsWith(`${this.spec.name}: `))
    const last = own ?? this.lastLines.at(-1) ?? `exited with code ${this.exitCode ?? '?'}`
    const reason = last.startsWith(`${this.spec.name}: `) ? last.slice(this.spec.name.length + 2) : last
    // Under the supervisor the port comes from e.g. ROUTER_PORT, not the service's own PORT.
    return reason.replace('set PORT to', `set ${this.spec.portSetting} to`)
  }

  signal (signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal)
  }

  /** SIGTERM, then wait: every service drains in-flight requests and streams before it exits. */
  async stop (): Promise<number> {
    this.signal('SIGTERM')
    return await this.closed
  }
}
