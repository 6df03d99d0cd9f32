import type { EventTags, GroupedLine, Severity, Suppressed, TrackedEvent } from './types.js'

// Pure grouping and rate capping of tracked events: no timers, no I/O, the clock is injected.
// The plugin (plugin.ts) feeds it events and a periodic tick, and writes what comes out.
//
// A fingerprint's first occurrence is written at once (someone should see a new failure now).
// Its repeats are counted and written as one line per window while they go on; a window with no
// repeat forgets the group, so the next occurrence is "first" again. On top, at most
// `maxLinesPerWindow` lines are written per window overall: an outage across many providers and
// codes cannot flood the logs or the alerts. Withheld lines are tallied and the tally rides on
// the next written line, so every occurrence is accounted for.

export interface GrouperOptions {
  /** Repeats of a fingerprint within this are one line; also the rate cap's window. Default 60 s. */
  windowMs?: number
  /** Lines written per window, all fingerprints together. Default 20. */
  maxLinesPerWindow?: number
  /** Fingerprints tracked at once; occurrences beyond are tallied as suppressed. Default 1000. */
  maxGroups?: number
  now?: () => number
}

interface Group {
  severity: Severity
  message: string
  fingerprint: readonly string[]
  windowStart: number
  /** Occurrences in the current window not yet written. */
  count: number
  firstAt: number
  lastAt: number
  tags: EventTags
}

const rank: Record<Severity, number> = { warning: 0, error: 1 }

export class ErrorGrouper {
  readonly windowMs: number
  readonly maxLinesPerWindow: number
  readonly #maxGroups: number
  readonly #now: () => number
  readonly #groups = new Map<string, Group>()
  /** Times of the lines written in the last window (the rate cap). */
  #written: number[] = []
  #suppressed: Suppressed & { severity: Severity } = { lines: 0, events: 0, severity: 'warning' }

  constructor (opts: GrouperOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000
    this.maxLinesPerWindow = opts.maxLinesPerWindow ?? 20
    this.#maxGroups = opts.maxGroups ?? 1000
    this.#now = opts.now ?? Date.now
  }

  /** One occurrence; returns the lines to write now (often none). */
  record (event: TrackedEvent): GroupedLine[] {
    const lines = this.tick()
    const now = this.#now()
    const key = event.fingerprint.join('\u0000')
    const tags = event.tags ?? {}
    const group = this.#groups.get(key)
    if (group !== undefined) {
      if (group.count === 0) group.firstAt = now
      group.count++
      group.lastAt = now
      group.tags = tags
      return lines
    }
    if (this.#groups.size >= this.#maxGroups) {
      this.#suppress(event.severity, 0, 1)
      return lines
    }
    const created: Group = { severity: event.severity, message: event.message, fingerprint: event.fingerprint, windowStart: now, count: 0, firstAt: now, lastAt: now, tags }
    this.#groups.set(key, created)
    this.#push(lines, { kind: 'first', severity: event.severity, message: event.message, fingerprint: event.fingerprint, count: 1, firstAt: now, lastAt: now, tags })
    return lines
  }

  /** Closes windows that have ended; call periodically (the plugin does every second). */
  tick (): GroupedLine[] {
    const now = this.#now()
    const lines: GroupedLine[] = []
    for (const [key, group] of this.#groups) {
      if (now - group.windowStart < this.windowMs) continue
      if (group.count === 0) {
        this.#groups.delete(key)
        continue
      }
      this.#push(lines, this.#repeatsOf(group))
      group.count = 0
      group.windowStart = now
    }
    // A tally rides on the next line written; alone only once a whole window passed without one.
    if (this.#hasTally() && this.#hasRoom(now) && this.#written.length === 0) this.#push(lines, this.#tallyLine(now))
    return lines
  }

  /** Everything still pending (shutdown): repeats of every group, then the tally, past the cap if need be. */
  drain (): GroupedLine[] {
    const lines: GroupedLine[] = []
    for (const group of this.#groups.values()) if (group.count > 0) this.#push(lines, this.#repeatsOf(group))
    this.#groups.clear()
    if (this.#hasTally()) {
      const tally = this.#tallyLine(this.#now())
      tally.suppressed = { lines: this.#suppressed.lines, events: this.#suppressed.events }
      this.#suppressed = { lines: 0, events: 0, severity: 'warning' }
      lines.push(tally)
    }
    return lines
  }

  #repeatsOf (group: Group): GroupedLine {
    return { kind: 'repeats', severity: group.severity, message: group.message, fingerprint: group.fingerprint, count: group.count, firstAt: group.firstAt, lastAt: group.lastAt, tags: group.tags }
  }

  #tallyLine (now: number): GroupedLine {
    return { kind: 'suppressed', severity: this.#suppressed.severity, message: 'error-tracking lines withheld by the rate cap', fingerprint: ['error-tracking', 'suppressed'], count: 0, firstAt: now, lastAt: now, tags: {} }
  }

  #hasTally (): boolean {
    return this.#suppressed.lines > 0 || this.#suppressed.events > 0
  }

  #hasRoom (now: number): boolean {
    this.#written = this.#written.filter((t) => now - t < this.windowMs)
    return this.#written.length < this.maxLinesPerWindow
  }

  #suppress (severity: Severity, lines: number, events: number): void {
    this.#suppressed.lines += lines
    this.#suppressed.events += events
    if (rank[severity] > rank[this.#suppressed.severity]) this.#suppressed.severity = severity
  }

  /** Writes `line` if the cap allows (carrying the tally of what was withheld), else tallies it. */
  #push (lines: GroupedLine[], line: GroupedLine): void {
    const now = this.#now()
    if (!this.#hasRoom(now)) {
      this.#suppress(line.severity, 1, line.count)
      return
    }
    this.#written.push(now)
    if (this.#hasTally()) {
      line.suppressed = { lines: this.#suppressed.lines, events: this.#suppressed.events }
      this.#suppressed = { lines: 0, events: 0, severity: 'warning' }
    }
    lines.push(line)
  }
}
