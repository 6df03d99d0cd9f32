// The repository's one SSE framing parser. An event ("frame") ends at a blank line, and the SSE
// specification allows three line endings — LF, CRLF and a bare CR — so a frame may end in
// `\n\n`, `\r\n\r\n`, `\r\r` or any mix of them. Frames are found on bytes (line endings are
// ASCII), so a multi-byte UTF-8 character split across two TCP chunks is never torn apart.

const LF = 0x0a
const CR = 0x0d

/** A frame that outgrows this without ending is released as it is rather than held in memory. */
export const defaultMaxFrameBytes = 1024 * 1024

export interface SseFrameSplitterOptions {
  /** Cap on the bytes held while waiting for the end of one frame (default 1 MiB). */
  maxFrameBytes?: number
}

/** Index of the first byte that is `\n` or `\r` at or after `from`, -1 if none. */
function nextLineEnd (buf: Buffer, from: number): number {
  const lf = buf.indexOf(LF, from)
  const cr = buf.indexOf(CR, from)
  if (lf === -1) return cr
  if (cr === -1) return lf
  return Math.min(lf, cr)
}

/**
 * Index just past the first blank line at or after `from` (the end of a frame), or -1 if there
 * is none yet. A CR at the very end counts as a line ending: should the next chunk start with the
 * LF of a CRLF, that LF begins the next frame, which SSE parsers treat as an empty line.
 */
export function frameEnd (buf: Buffer, from = 0): number {
  let i = from
  for (;;) {
    const p = nextLineEnd(buf, i)
    if (p === -1) return -1
    const lineStart = buf[p] === CR && buf[p + 1] === LF ? p + 2 : p + 1
    if (lineStart >= buf.length) return -1
    const c = buf[lineStart]
    if (c === LF) return lineStart + 1
    if (c === CR) return buf[lineStart + 1] === LF ? lineStart + 2 : lineStart + 1
    i = lineStart
  }
}

/**
 * Cuts a byte stream into whole SSE frames, each returned with its terminating blank line, bytes
 * unchanged. Holds at most `maxFrameBytes` of an unfinished frame: beyond that the held bytes are
 * released as if they were a frame, so a hostile or broken upstream cannot grow memory without
 * bound (consumers treat such a piece as opaque).
 */
export class SseFrameSplitter {
  readonly #maxFrameBytes: number
  #held: Buffer = Buffer.alloc(0)
  /** Where the search for the end of the held frame resumes (bytes before it hold no blank line). */
  #scanFrom = 0

  constructor (opts: SseFrameSplitterOptions = {}) {
    this.#maxFrameBytes = opts.maxFrameBytes ?? defaultMaxFrameBytes
  }

  /** Bytes held back waiting for the end of a frame. */
  get heldBytes (): number {
    return this.#held.length
  }

  /** Appends `chunk` and returns the frames it completed, in order (subarrays, no copies). */
  push (chunk: Buffer): Buffer[] {
    const data = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk])
    const frames: Buffer[] = []
    let start = 0
    // Resume two bytes early: the held tail may end in the first half of a line ending.
    let from = Math.max(0, this.#scanFrom - 2)
    for (;;) {
      const end = frameEnd(data, from)
      if (end === -1) break
      frames.push(data.subarray(start, end))
      start = end
      from = end
    }
    let rest = data.subarray(start)
    if (rest.length > this.#maxFrameBytes) {
      frames.push(rest)
      rest = rest.subarray(rest.length)
    }
    this.#held = rest
    this.#scanFrom = rest.length
    return frames
  }

  /** The unfinished tail (stream over); the splitter is empty afterwards. */
  end (): Buffer {
    const rest = this.#held
    this.#held = Buffer.alloc(0)
    this.#scanFrom = 0
    return rest
  }
}

/**
 * The data of one frame: its `data:` field lines joined with `\n` (one space after the colon is
 * not part of the value), '' when it has none. Other fields (event, id, retry) and comments are
 * ignored.
 */
export function frameData (frame: string): string {
  let data = ''
  let first = true
  for (const line of frame.split(/\r\n|\r|\n/)) {
    if (!line.startsWith('data:')) continue
    const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5)
    data = first ? value : `${data}\n${value}`
    first = false
  }
  return data
}
