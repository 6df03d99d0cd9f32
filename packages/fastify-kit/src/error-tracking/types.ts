// The shapes of error tracking, shared by the pure grouper and the plugin that does the I/O.

/** 'error' pages someone (5xx, unreachable); 'warning' is worth a look (429, other 4xx). */
export type Severity = 'error' | 'warning'

/** Facts of one occurrence: primitives only, so nothing large (or a body, or a header) rides along. */
export type EventTags = Readonly<Record<string, string | number | boolean | undefined>>

/** One failure, as a service reports it. */
export interface TrackedEvent {
  severity: Severity
  /** What happened, worded the same for every occurrence of the fingerprint. */
  message: string
  /** The group's identity (e.g. provider, status, code): equal fingerprints are counted together. */
  fingerprint: readonly string[]
  tags?: EventTags
}

/** Lines withheld by the rate cap, reported with the next line that is written. */
export interface Suppressed {
  lines: number
  /** Occurrences those lines stood for. */
  events: number
}

/** One line to write (log, Sentry): a new failure, or the repeats of one since its last line. */
export interface GroupedLine {
  /** 'first': first occurrence, written at once. 'repeats': occurrences since, once per window. 'suppressed': only the rate cap's tally. */
  kind: 'first' | 'repeats' | 'suppressed'
  severity: Severity
  message: string
  fingerprint: readonly string[]
  /** Occurrences this line stands for. */
  count: number
  /** Times (ms since the epoch) of the first and last occurrence this line stands for. */
  firstAt: number
  lastAt: number
  /** Tags of the latest occurrence. */
  tags: EventTags
  /** Set when earlier lines were withheld by the rate cap since the previous written line. */
  suppressed?: Suppressed
}
