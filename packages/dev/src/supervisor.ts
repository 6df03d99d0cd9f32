import { watch, type FSWatcher } from 'node:fs'
import { renderBanner } from './banner.js'
import { ServiceProcess } from './process.js'
import { getJson, waitUntilReady } from './ready.js'
import { STOP_ORDER, type Mode, type Plan, type ServiceName, type ServiceSpec } from './services.js'

export interface SupervisorOptions {
  mode: Mode
  plan: Plan
  dataDir: string
  env: Record<string, string | undefined>
  /** Token for the router's GET /v1/models (the banner lists what it really serves). */
  internalToken: string
  /** Development: the API key the banner prints (checked against the gateway first). */
  apiKey?: string
  generatedAdminToken?: string
  /** How long every service together may take to become ready. */
  startTimeoutMs: number
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
}

const SAME_SIGNAL_WINDOW_MS = 1000
const WATCH_DEBOUNCE_MS = 300

/**
 * Runs the services, prints the banner once every one is ready, and stops them in order.
 * Resolves with the exit code: 0 after a clean stop, 1 when a service failed (the last line on
 * stderr then names it and why).
 */
export class Supervisor {
  private readonly opts: SupervisorOptions
  private readonly out: { stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream }
  private readonly procs = new Map<ServiceName, ServiceProcess>()
  private readonly watchers: FSWatcher[] = []
  private stopping: Promise<number> | undefined
  private failure: string | undefined
  private firstSignalAt: number | undefined
  private started = false

  constructor (opts: SupervisorOptions) {
    this.opts = opts
    this.out = { stdout: opts.stdout ?? process.stdout, stderr: opts.stderr ?? process.stderr }
  }

  private say (line: string): void { this.out.stdout.write(`switchyard: ${line}\n`) }

  private launch (spec: ServiceSpec): ServiceProcess {
    const proc = new ServiceProcess(spec, this.out)
    this.procs.set(spec.name, proc)
    void proc.closed.then((code) => this.onExit(proc, code))
    return proc
  }

  /** A service exited on its own: fatal while starting or under `pnpm start`; in dev, wait for a fix. */
  private onExit (proc: ServiceProcess, code: number): void {
    if (this.stopping !== undefined || this.procs.get(proc.spec.name) !== proc) return
    const reason = `${proc.spec.name} ${this.started ? 'stopped' : 'failed to start'}: ${proc.reason()}`
    if (!this.started || this.opts.mode === 'start') {
      void this.stop(reason)
    } else {
      this.out.stderr.write(`switchyard: ${reason} (exit ${code}); it restarts when you change a file under ${proc.spec.watchDir ?? 'src/'}\n`)
    }
  }

  /** Restarts a service (dev) after its sources changed: it drains first, like any stop. */
  private watchSources (spec: ServiceSpec): void {
    if (spec.watchDir === undefined) return
    let timer: NodeJS.Timeout | undefined
    let restarting = false
    const restart = async (): Promise<void> => {
      if (this.stopping !== undefined || restarting) return
      restarting = true
      const current = this.procs.get(spec.name)
      this.say(`${spec.name}: sources changed, restarting`)
      if (current !== undefined) {
        this.procs.delete(spec.name)
        await current.stop()
      }
      if (this.stopping === undefined) this.launch(spec)
      restarting = false
    }
    try {
      const watcher = watch(spec.watchDir, { recursive: true }, () => {
        clearTimeout(timer)
        timer = setTimeout(() => { void restart() }, WATCH_DEBOUNCE_MS)
      })
      watcher.on('error', () => {})
      this.watchers.push(watcher)
    } catch {
      // No watching on this file system: the services simply do not restart by themselves.
    }
  }

  /** Starts everything; resolves with the process exit code once everything has stopped. */
  async run (): Promise<number> {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.firstSignalAt === undefined) {
        this.firstSignalAt = Date.now()
        this.say(`${signal}: stopping (gateway first, mock provider last); press Ctrl-C again to stop at once`)
        void this.stop(undefined)
        return
      }
      // The same Ctrl-C can arrive twice (terminal and pnpm); a later one means "now".
      if (Date.now() - this.firstSignalAt < SAME_SIGNAL_WINDOW_MS) return
      for (const proc of this.procs.values()) proc.signal('SIGTERM') // a second SIGTERM: services exit at once
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    process.on('SIGHUP', onSignal)
    // Never leave services behind if the supervisor itself dies of an error.
    process.on('exit', () => { for (const proc of this.procs.values()) proc.signal('SIGKILL') })

    for (const spec of this.opts.plan.services) this.launch(spec)
    const ready = await this.waitForAll()
    if (ready && this.stopping === undefined) {
      const models = await this.checkAndListModels()
      if (models !== undefined && this.stopping === undefined) {
        this.started = true
        this.out.stdout.write(renderBanner({ ...this.opts, models }) + '\n')
        for (const spec of this.opts.plan.services) this.watchSources(spec)
      }
    }
    return await new Promise<number>((resolve) => {
      const wait = (): void => {
        if (this.stopping !== undefined) void this.stopping.then(resolve)
        else setTimeout(wait, 100)
      }
      wait()
    })
  }

  /** True once every service is ready; the first one that fails stops the rest at once. */
  private async waitForAll (): Promise<boolean> {
    const results = await Promise.all([...this.procs.values()].map(async (proc) => {
      const result = await waitUntilReady(proc, this.opts.startTimeoutMs)
      if (!result.ok && this.stopping === undefined) void this.stop(`${proc.spec.name} failed to start: ${result.reason}`)
      return result.ok
    }))
    return results.every(Boolean)
  }

  /**
   * The models the router really serves (its GET /v1/models), and in development a check that
   * the gateway accepts the development API key (the gateway creates it just after listening).
   */
  private async checkAndListModels (): Promise<string[] | undefined> {
    const { ports } = this.opts.plan
    let models: string[] = []
    try {
      const res = await getJson(`http://127.0.0.1:${ports.ROUTER_PORT}/v1/models`, { 'x-internal-token': this.opts.internalToken })
      if (res.status !== 200) throw new Error(`GET /v1/models answered ${res.status}`)
      models = ((res.body as { data?: Array<{ id: string }> }).data ?? []).map((m) => m.id)
    } catch (err) {
      void this.stop(`proxy-router did not list its models: ${(err as Error).message}`)
      return undefined
    }
    if (this.opts.apiKey === undefined) return models
    const deadline = Date.now() + 15_000
    for (;;) {
      const res = await getJson(`http://127.0.0.1:${ports.GATEWAY_PORT}/v1/models`, { authorization: `Bearer ${this.opts.apiKey}` }).catch((err: Error) => ({ status: 0, body: err.message }))
      if (res.status === 200) return models
      if (Date.now() > deadline || this.stopping !== undefined) {
        const code = (res.body as { error?: { code?: string } }).error?.code ?? String(res.body)
        void this.stop(`gateway does not accept the development API key (${res.status} ${code})`)
        return undefined
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  /**
   * Stops every service in STOP_ORDER, each group after the previous one has fully drained.
   * With a failure, its one line is the last thing printed.
   */
  async stop (failure: string | undefined): Promise<number> {
    if (this.stopping !== undefined) return await this.stopping
    this.failure = failure
    for (const watcher of this.watchers) watcher.close()
    this.stopping = (async () => {
      let clean = true
      for (const group of STOP_ORDER) {
        const codes = await Promise.all(group.map(async (name) => {
          const proc = this.procs.get(name)
          if (proc === undefined) return 0
          return proc.running ? await proc.stop() : await proc.closed
        }))
        if (codes.some((c) => c !== 0)) clean = false
      }
      if (this.failure !== undefined) {
        this.out.stderr.write(`switchyard: ${this.failure}\n`)
        return 1
      }
      this.say(clean ? 'every service stopped cleanly' : 'stopped; a service exited with an error (see above)')
      return clean ? 0 : 1
    })()
    return await this.stopping
  }
}
