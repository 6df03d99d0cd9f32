import { once } from 'node:events'
import { PassThrough, Readable, Writable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { ReadThrough } from '../src/index.js'

const tick = async () => await new Promise((resolve) => setImmediate(resolve))

/** Upper-cases what passes; `fail` in a chunk throws after pushing what came before it; `tail` is added at the end. */
class Upper extends ReadThrough {
  constructor (private readonly tail = '', private readonly endedEarly = false) { super() }

  protected convert (chunk: Buffer): string {
    const s = chunk.toString()
    const at = s.indexOf('fail')
    if (at === -1) return s.toUpperCase()
    if (at > 0) this.push(s.slice(0, at).toUpperCase())
    throw new Error('bad chunk')
  }

  protected finish (): string {
    if (this.endedEarly) throw new Error('ended too early')
    return this.tail
  }
}

describe('ReadThrough', () => {
  it('carries every chunk converted, then the tail and the end, and waits for a slow reader (backpressure)', async () => {
    const got: string[] = []
    const slow = new Writable({
      highWaterMark: 1,
      write (chunk: Buffer, _enc, callback) { got.push(chunk.toString()); setTimeout(callback, 1) }
    })
    const src = Readable.from(Array.from({ length: 50 }, (_, i) => Buffer.from(`a${i},`)))
    new Upper('!').readFrom(src).pipe(slow)
    await once(slow, 'finish')
    expect(got.join('')).toBe(Array.from({ length: 50 }, (_, i) => `A${i},`).join('') + '!')
  })

  it('pauses the source while its own buffer is full, and resumes it when read', async () => {
    const src = new PassThrough()
    const stage = new Upper().readFrom(src)
    const big = Buffer.alloc(64 * 1024, 'x')
    src.write(big)
    src.write(big)
    await tick()
    expect(src.isPaused()).toBe(true)
    const reading = text(stage)
    src.end()
    expect((await reading).length).toBe(2 * big.length)
  })

  it('a failing source destroys the stage with its error', async () => {
    const src = new PassThrough()
    const stage = new Upper().readFrom(src)
    const reading = text(stage)
    src.write('a')
    src.destroy(new Error('upstream reset'))
    await expect(reading).rejects.toThrow('upstream reset')
    expect(stage.destroyed).toBe(true)
  })

  it('a source closed before its end destroys the stage with a premature-close error', async () => {
    const src = new PassThrough()
    const reading = text(new Upper().readFrom(src))
    src.destroy()
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' })
  })

  it('the stage destroyed first (its reader left) destroys the source', async () => {
    const src = new PassThrough()
    const stage = new Upper().readFrom(src)
    src.write('a')
    stage.on('error', () => {})
    stage.destroy(new Error('client gone'))
    await tick()
    expect(src.destroyed).toBe(true)
  })

  it('a chunk that cannot be converted fails the stage after what came before it in the same chunk', async () => {
    const src = new PassThrough()
    const stage = new Upper().readFrom(src)
    let out = ''
    stage.on('data', (c: Buffer) => { out += c.toString() })
    const failed = once(stage, 'error')
    src.write('ok then fail')
    const [err] = await failed
    expect((err as Error).message).toBe('bad chunk')
    expect(out).toBe('OK THEN ')
    await tick()
    expect(src.destroyed).toBe(true)
  })

  it('a source that ends too early for the converter fails the stage with finish()\'s error', async () => {
    const src = new PassThrough()
    const reading = text(new Upper('', true).readFrom(src))
    src.end('x')
    await expect(reading).rejects.toThrow('ended too early')
  })

  it('a source that ends normally leaves nothing destroyed with an error', async () => {
    const src = new PassThrough()
    const stage = new Upper().readFrom(src)
    const reading = text(stage)
    src.end('done')
    expect(await reading).toBe('DONE')
    expect(stage.errored).toBeNull()
  })

  it('takes over a source that already failed, ended or closed as the failure or end it was', async () => {
    const failed = new PassThrough()
    failed.on('error', () => {})
    failed.destroy(new Error('reset before takeover'))
    const closed = new PassThrough()
    closed.destroy()
    const ended = new PassThrough()
    ended.end('done')
    ended.resume()
    await once(ended, 'end')
    await expect(text(new Upper().readFrom(failed))).rejects.toThrow('reset before takeover')
    await expect(text(new Upper().readFrom(closed))).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' })
    expect(await text(new Upper('!').readFrom(ended))).toBe('!')
  })

  it('sends held bytes first, converted like the rest', async () => {
    const src = new PassThrough()
    const reading = text(new Upper().readFrom(src, Buffer.from('held,')))
    src.end('rest')
    expect(await reading).toBe('HELD,REST')
  })
})
