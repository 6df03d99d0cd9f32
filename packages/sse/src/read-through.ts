import { Readable } from 'node:stream'

// A stream stage that reads or rewrites what passes through it (the SSE relays, the router's
// Anthropic → OpenAI converter) is a Readable that reads its source itself, not a Transform:
// Node's WritableState (every Writable, so every Transform) stores a per-stream closure that V8
// allocates in the old generation, where it keeps the stream and the request it serves alive
// through young-generation collections (docs/adr/0031). The source is read with the pipe's
// semantics, written out here once for every such stage: backpressure, and both failure
// directions as stream.pipeline(source, stage) would wire them.

/** What a stage makes of a chunk: '' or undefined for nothing. */
export type ReadThroughOutput = string | Buffer | undefined

/** An error like pipeline()'s when the source closed without ending or failing. */
const prematureClose = (): Error => Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })

/**
 * Reads a source and pushes what `convert` makes of each chunk, then what `finish` adds at the
 * source's end. A source that fails, or closes before its end (a premature-close error), goes to
 * `sourceFailed`, which by default destroys the stage with that error. The stage destroyed first
 * (its reader left) destroys the source. `convert` or `finish` throwing destroys the stage with
 * what it threw, after any output the subclass pushed itself.
 */
export abstract class ReadThrough extends Readable {
  #source: Readable | undefined
  #finished = false

  /** The output for one chunk of the source. */
  protected abstract convert (chunk: Buffer): ReadThroughOutput

  /** The source ended: the last output, or throw if it ended too early. */
  protected abstract finish (): ReadThroughOutput

  /**
   * The source failed, or closed before its end. Destroys the stage with the error; a subclass
   * that has a way to say so in its own output ends with that instead (pushLast).
   */
  protected sourceFailed (err: Error): void {
    this.destroy(err)
  }

  /** True once the stage has queued its last bytes: nothing more may be pushed. */
  protected get finished (): boolean {
    return this.#finished
  }

  /** Queues `last` and the end (once); the source is read no further. */
  protected pushLast (last: ReadThroughOutput): void {
    if (this.#finished || this.destroyed) return
    this.#finished = true
    if (last !== undefined && last.length > 0) this.push(last)
    this.push(null)
  }

  /**
   * Starts reading `source` (once), after `held`: bytes already read from it that must come out
   * first (the router's stream preamble). Returns the stage. A source that already failed or
   * ended before this takeover is the stage's last word now: those events are not emitted again.
   */
  readFrom (source: Readable, held?: Buffer): this {
    this.#source = source
    const onData = (chunk: Buffer): void => {
      if (this.#finished || this.destroyed) return
      let out: ReadThroughOutput
      try {
        out = this.convert(chunk)
      } catch (err) {
        source.off('data', onData)
        this.destroy(err as Error)
        return
      }
      if (out !== undefined && out.length > 0 && !this.push(out)) source.pause()
    }
    const onEnd = (): void => {
      if (this.#finished || this.destroyed) return
      let out: ReadThroughOutput
      try {
        out = this.finish()
      } catch (err) {
        this.destroy(err as Error)
        return
      }
      this.pushLast(out)
    }
    const onError = (err: Error): void => {
      if (!this.#finished && !this.destroyed) this.sourceFailed(err)
    }
    const onClose = (): void => {
      if (!source.readableEnded) onError(prematureClose())
    }
    // Paused by backpressure here, the source stays paused: on('data') resumes only a source
    // that was never paused.
    if (held !== undefined && held.length > 0) onData(held)
    source.on('data', onData)
    source.once('end', onEnd)
    source.on('error', onError)
    source.once('close', onClose)
    if (source.errored !== null) onError(source.errored)
    else if (source.readableEnded) onEnd()
    else if (source.destroyed) onError(prematureClose())
    return this
  }

  override _read (): void {
    if (!this.#finished) this.#source?.resume()
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    const source = this.#source
    if (source !== undefined && !source.destroyed && !source.readableEnded) source.destroy()
    callback(err)
  }
}
