import { Readable } from 'node:stream'

// A stream stage that rewrites what passes through it (the router's Anthropic → OpenAI
// converter) is a Readable that reads its source itself, not a Transform: Node's WritableState
// (every Writable, so every Transform) stores a per-stream closure that V8 allocates in the old
// generation, where it keeps the stream and the request it serves alive through young-generation
// collections (docs/adr/0031). The source is read with the pipe's semantics, written out here:
// backpressure, and both failure directions as stream.pipeline(source, stage) would wire them.

/** An error like pipeline()'s when the source closed without ending or failing. */
const prematureClose = (): Error => Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })

/**
 * Reads a source and pushes what `convert` makes of each chunk, then what `finish` adds at the
 * source's end. A source that fails, or closes before its end, destroys the stage with that
 * error (a premature-close error for the latter); the stage destroyed first (its reader left)
 * destroys the source. `convert` or `finish` throwing destroys the stage with what it threw,
 * after any output the subclass pushed itself.
 */
export abstract class ReadThrough extends Readable {
  #source: Readable | undefined

  /** The output for one chunk of the source; '' or undefined for none. */
  protected abstract convert (chunk: Buffer): string | Buffer | undefined

  /** The source ended: the last output ('' or undefined for none), or throw if it ended too early. */
  protected abstract finish (): string | Buffer | undefined

  /** Starts reading `source` (once); returns the stage. */
  readFrom (source: Readable): this {
    this.#source = source
    const onData = (chunk: Buffer): void => {
      if (this.destroyed) return
      let out: string | Buffer | undefined
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
      if (this.destroyed) return
      let out: string | Buffer | undefined
      try {
        out = this.finish()
      } catch (err) {
        this.destroy(err as Error)
        return
      }
      if (out !== undefined && out.length > 0) this.push(out)
      this.push(null)
    }
    const onError = (err: Error): void => { this.destroy(err) }
    const onClose = (): void => {
      if (!source.readableEnded && !this.destroyed) this.destroy(prematureClose())
    }
    source.on('data', onData)
    source.once('end', onEnd)
    source.on('error', onError)
    source.once('close', onClose)
    return this
  }

  override _read (): void {
    this.#source?.resume()
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    const source = this.#source
    if (source !== undefined && !source.destroyed) source.destroy()
    callback(err)
  }
}
