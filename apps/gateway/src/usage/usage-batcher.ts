// Usage events leave the request path here: `record()` only appends to an in-memory queue; one
// worker writes the queue as multi-row inserts, at most `maxRows` per statement and at most
// `flushIntervalMs` after an event arrived. While the database is unreachable the queue keeps
// growing up to `maxBuffered` events and the same batch is retried with backoff; rows are removed
// from the queue only once written, and the insert ignores request ids already stored, so a
// retry after an ambiguous failure (timeout, connection lost mid-commit) never writes twice.
import type { NewUsageEvent } from '@switchyard/db/schema'

export interface UsageLog {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
  error: (obj: object, msg: string) => void
}

export interface UsageBatcherOptions {
  /** One multi-row insert; resolves once committed. */
  write: (rows: NewUsageEvent[]) => Promise<void>
  maxRows: number
  flushIntervalMs: number
  maxBuffered: number
  /** A write that takes longer than this counts as failed and is retried (the insert is idempotent). */
  writeTimeoutMs: number
  log: UsageLog
  /** First retry delay; doubles up to `retryMaxMs` (defaults 100 ms and 5 s). */
  retryBaseMs?: number
  retryMaxMs?: number
}

/** Counters for metrics: cumulative except `queued`. */
export interface UsageStats {
  /** Events waiting to be written now. */
  queued: number
  written: number
  /** Events given up on: buffer full, rejected by the database, or still queued at shutdown. */
  dropped: number
  /** Insert statements that failed (each is retried or its rows isolated). */
  failedFlushes: number
  /** Insert statements that succeeded. */
  batches: number
}

/** SQLSTATE classes no retry can fix: 22 data exception, 23 integrity constraint violation. */
const permanentClasses = new Set(['22', '23'])
const dropLogEveryMs = 5000

function dbErrorCode (err: unknown): string | undefined {
  let e: unknown = err
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * What a failed write is logged as: the SQLSTATE and the innermost message only. The outer
 * error of the query builder quotes the statement and every parameter (the whole batch).
 */
export function describeWriteError (err: unknown): { code: string | undefined, message: string } {
  let e: unknown = err
  while (e !== null && typeof e === 'object' && (e as { cause?: unknown }).cause !== undefined) e = (e as { cause?: unknown }).cause
  const message = e instanceof Error ? e.message : String(e)
  return { code: dbErrorCode(err) ?? (e as { code?: string } | null)?.code, message: message.slice(0, 300) }
}

function isPermanent (err: unknown): boolean {
  const code = dbErrorCode(err)
  return code !== undefined && permanentClasses.has(code.slice(0, 2))
}

export class UsageBatcher {
  readonly #opts: Required<UsageBatcherOptions>
  #queue: NewUsageEvent[] = []
  #head = 0
  #worker: Promise<void> | undefined
  #wake: (() => void) | undefined
  #draining = 0
  #closed = false
  #retryDelay = 0
  /** Bumped when close() gives up on the queue: late results of writes begun before are ignored. */
  #epoch = 0
  #dropsNotLogged = 0
  #lastDropLog = 0
  readonly stats: UsageStats = { queued: 0, written: 0, dropped: 0, failedFlushes: 0, batches: 0 }

  constructor (opts: UsageBatcherOptions) {
    this.#opts = { retryBaseMs: 100, retryMaxMs: 5000, ...opts }
  }

  get size (): number {
    return this.#queue.length - this.#head
  }

  /**
   * The queued event of `requestId`, if it is still waiting to be written (or being written:
   * events leave the queue only once committed, so an event is always here or in the table).
   * A linear scan of at most `maxBuffered` events: for the occasional trace lookup only.
   */
  find (requestId: string): NewUsageEvent | undefined {
    for (let i = this.#queue.length - 1; i >= this.#head; i--) {
      const event = this.#queue[i]!
      if (event.requestId === requestId) return event
    }
    return undefined
  }

  /** Queues one event; never waits, never throws. */
  record (event: NewUsageEvent): void {
    if (this.#closed || this.size >= this.#opts.maxBuffered) {
      this.#drop(1, this.#closed ? 'recorded after shutdown' : 'buffer full')
      return
    }
    this.#queue.push(event)
    this.stats.queued = this.size
    if (this.size >= this.#opts.maxRows && this.#retryDelay === 0) this.#wake?.()
    this.#worker ??= this.#run()
  }

  /**
   * Writes everything queued, retrying through failures, until the queue is empty (true) or
   * `timeoutMs` has passed (false).
   */
  async flush (timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const deadline = performance.now() + timeoutMs
    this.#draining++
    try {
      while (this.size > 0 || this.#worker !== undefined) {
        const left = deadline - performance.now()
        if (left <= 0) return false
        this.#worker ??= this.#run()
        this.#wake?.()
        let timer: NodeJS.Timeout | undefined
        const timedOut = new Promise<void>((resolve) => {
          if (Number.isFinite(left)) timer = setTimeout(resolve, left)
        })
        try {
          await Promise.race([this.#worker, timedOut])
        } finally {
          clearTimeout(timer)
        }
      }
      return true
    } finally {
      this.#draining--
    }
  }

  /** Flushes within `timeoutMs`, then refuses new events; what could not be written is counted and logged as dropped. */
  async close (timeoutMs: number): Promise<void> {
    const done = await this.flush(timeoutMs)
    this.#closed = true
    if (!done) {
      const lost = this.size
      this.#epoch++
      this.#head = this.#queue.length
      this.#compact()
      this.#drop(lost, 'unwritten at shutdown')
    }
    this.#logDrops(true)
  }

  async #run (): Promise<void> {
    try {
      while (this.size > 0) {
        if (this.#retryDelay > 0) {
          await this.#sleep(jitter(this.#retryDelay))
        } else if (this.#draining === 0 && this.size < this.#opts.maxRows) {
          await this.#sleep(this.#opts.flushIntervalMs)
        }
        await this.#writeBatch(this.#queue.slice(this.#head, this.#head + this.#opts.maxRows))
      }
    } finally {
      this.#worker = undefined
    }
  }

  async #writeBatch (batch: NewUsageEvent[]): Promise<void> {
    const epoch = this.#epoch
    try {
      await this.#write(batch)
      if (epoch === this.#epoch) this.#written(batch.length)
    } catch (err) {
      if (epoch !== this.#epoch) return
      this.stats.failedFlushes++
      if (isPermanent(err)) {
        await this.#isolate(batch)
        return
      }
      this.#backOff(err)
    }
  }

  /**
   * A batch the database refuses for its content (a NUL byte, a key deleted meanwhile): written
   * row by row so one bad event cannot block the rest forever. Rows refused again are dropped.
   */
  async #isolate (batch: NewUsageEvent[]): Promise<void> {
    for (const row of batch) {
      const epoch = this.#epoch
      try {
        await this.#write([row])
        if (epoch !== this.#epoch) return
        this.#written(1)
      } catch (err) {
        if (epoch !== this.#epoch) return
        if (!isPermanent(err)) {
          this.stats.failedFlushes++
          this.#backOff(err)
          return
        }
        this.#advance(1)
        this.stats.dropped++
        this.#opts.log.error({ requestId: row.requestId, ...describeWriteError(err) }, 'the database refused a usage event; it is dropped')
      }
    }
  }

  async #write (rows: NewUsageEvent[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`usage write took longer than ${this.#opts.writeTimeoutMs} ms`)), this.#opts.writeTimeoutMs)
    })
    try {
      await Promise.race([this.#opts.write(rows), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  #written (n: number): void {
    this.#advance(n)
    this.stats.written += n
    this.stats.batches++
    if (this.#retryDelay > 0) {
      this.#retryDelay = 0
      this.#opts.log.info({ queued: this.size }, 'usage writes recovered; writing the buffered events')
    }
  }

  #backOff (err: unknown): void {
    const first = this.#retryDelay === 0
    this.#retryDelay = first ? this.#opts.retryBaseMs : Math.min(this.#opts.retryMaxMs, this.#retryDelay * 2)
    // One warning when writes start failing, then one each time the delay reaches its cap.
    if (first || this.#retryDelay === this.#opts.retryMaxMs) {
      this.#opts.log.warn({ ...describeWriteError(err), queued: this.size, retryInMs: this.#retryDelay }, 'usage events cannot be written; buffering and retrying')
    }
  }

  #advance (n: number): void {
    this.#head += n
    this.#compact()
  }

  #compact (): void {
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    } else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
    this.stats.queued = this.size
  }

  #drop (n: number, reason: string): void {
    this.stats.dropped += n
    this.#dropsNotLogged += n
    this.#logDrops(false, reason)
  }

  /** Never silent, never a log line per event: at most one warning per interval with the count. */
  #logDrops (force: boolean, reason = 'buffer full'): void {
    if (this.#dropsNotLogged === 0) return
    const now = Date.now()
    if (!force && now - this.#lastDropLog < dropLogEveryMs) return
    this.#opts.log.warn({ dropped: this.#dropsNotLogged, droppedTotal: this.stats.dropped, reason, maxBuffered: this.#opts.maxBuffered }, 'usage events dropped')
    this.#dropsNotLogged = 0
    this.#lastDropLog = now
  }

  /** Waits `ms`, or less if woken (batch full, flush requested). */
  async #sleep (ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      timer.unref()
      const self = this
      function done (): void {
        clearTimeout(timer)
        if (self.#wake === done) self.#wake = undefined
        resolve()
      }
      this.#wake = done
    })
  }
}

function jitter (ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4))
}
