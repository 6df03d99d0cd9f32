import { once } from 'node:events'
import { PassThrough, Readable, Writable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { pipeStreams } from '../src/index.js'

const tick = async () => await new Promise((resolve) => setImmediate(resolve))

describe('pipeStreams', () => {
  it('carries every chunk and the end, and waits for a slow destination (backpressure)', async () => {
    const got: string[] = []
    const slow = new Writable({
      highWaterMark: 1,
      write (chunk: Buffer, _enc, callback) { got.push(chunk.toString()); setTimeout(callback, 1) }
    })
    const src = Readable.from(Array.from({ length: 50 }, (_, i) => Buffer.from(`${i},`)))
    pipeStreams(src, slow)
    await once(slow, 'finish')
    expect(got.join('')).toBe(Array.from({ length: 50 }, (_, i) => `${i},`).join(''))
  })

  it('a failing source destroys the destination with its error', async () => {
    const src = new PassThrough()
    const dst = pipeStreams(src, new PassThrough())
    const reading = text(dst)
    src.write('a')
    src.destroy(new Error('upstream reset'))
    await expect(reading).rejects.toThrow('upstream reset')
    expect(dst.destroyed).toBe(true)
  })

  it('a source closed before its end destroys the destination with a premature-close error', async () => {
    const src = new PassThrough()
    const dst = pipeStreams(src, new PassThrough())
    const reading = text(dst)
    src.destroy()
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' })
  })

  it('a destination closed first (the client left) destroys the source; its error is not thrown', async () => {
    const src = new PassThrough()
    const dst = pipeStreams(src, new PassThrough())
    src.write('a')
    dst.destroy(new Error('client gone'))
    await tick()
    expect(src.destroyed).toBe(true)
  })

  it('a source that ends normally leaves nothing destroyed with an error', async () => {
    const src = new PassThrough()
    const dst = pipeStreams(src, new PassThrough())
    const reading = text(dst)
    src.end('done')
    expect(await reading).toBe('done')
    expect(dst.errored).toBeNull()
  })
})
