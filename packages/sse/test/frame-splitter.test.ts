import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SseFrameSplitter, frameData, frameEnd } from '../src/index.js'

const transcript = readFileSync(new URL('./fixtures/openai-stream.sse', import.meta.url), 'utf8')

/** Feeds `pieces` through one splitter; returns every frame (as text) plus the unfinished tail. */
function split (pieces: Buffer[], maxFrameBytes?: number): { frames: string[], rest: string } {
  const splitter = new SseFrameSplitter({ maxFrameBytes })
  const frames = pieces.flatMap((p) => splitter.push(p)).map((f) => f.toString('utf8'))
  return { frames, rest: splitter.end().toString('utf8') }
}

describe('frameEnd', () => {
  it.each([
    ['data: a\n\ndata: b', 9],
    ['data: a\n\n', 9],
    ['data: a\r\n\r\ndata: b', 11],
    ['data: a\r\rdata', 9],
    ['data: a\r\n\ndata', 10],
    ['data: a\n\r\ndata', 10],
    ['event: x\ndata: a\n\n', 18],
    ['data: partial', -1],
    ['data: partial\n', -1],
    ['data: partial\r\n', -1]
  ])('%j → %i', (input, end) => {
    expect(frameEnd(Buffer.from(input))).toBe(end)
  })
})

describe('SseFrameSplitter', () => {
  const frames = transcript.split(/(?<=\n\n)/)

  it('finds the same frames however the bytes are cut (every boundary)', () => {
    const bytes = Buffer.from(transcript)
    for (let cut = 1; cut < bytes.length; cut++) {
      const { frames: got, rest } = split([bytes.subarray(0, cut), bytes.subarray(cut)])
      expect(got, `cut at byte ${cut}`).toEqual(frames)
      expect(rest).toBe('')
    }
  })

  it('finds the same frames when every byte arrives alone', () => {
    const bytes = Buffer.from(transcript)
    const pieces = Array.from(bytes, (b) => Buffer.from([b]))
    expect(split(pieces).frames).toEqual(frames)
  })

  it('never tears a multi-byte character: frames decode identically when cut inside one', () => {
    const text = 'data: {"content":"héllo wörld 🚀"}\n\ndata: [DONE]\n\n'
    const bytes = Buffer.from(text)
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split([bytes.subarray(0, cut), bytes.subarray(cut)]).frames.join('')).toBe(text)
    }
  })

  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r']
  ])('splits %s-terminated streams at every boundary', (_name, eol) => {
    const text = `data: {"n":1}${eol}${eol}event: e${eol}data: {"n":2}${eol}${eol}`
    const expected = [`data: {"n":1}${eol}${eol}`, `event: e${eol}data: {"n":2}${eol}${eol}`]
    const bytes = Buffer.from(text)
    for (let cut = 1; cut < bytes.length; cut++) {
      const { frames: got, rest } = split([bytes.subarray(0, cut), bytes.subarray(cut)])
      // A lone CR at the end of a chunk ends its line at once, so CRLF pieces may regroup the
      // trailing LF; the bytes, in order, must always be the same.
      expect(got.join('') + rest, `cut at byte ${cut}`).toBe(text)
      if (eol === '\r') expect(got).toEqual(expected)
    }
    expect(split([bytes]).frames).toEqual(expected)
  })

  it('keeps an unfinished frame until it ends, and hands it back at the end of the stream', () => {
    const splitter = new SseFrameSplitter()
    expect(splitter.push(Buffer.from('data: {"n":1}\n\ndata: {"n"'))).toEqual([Buffer.from('data: {"n":1}\n\n')])
    expect(splitter.heldBytes).toBe(10)
    expect(splitter.end().toString()).toBe('data: {"n"')
    expect(splitter.heldBytes).toBe(0)
  })

  it('releases an unfinished frame that outgrows the cap instead of holding more than the cap', () => {
    const splitter = new SseFrameSplitter({ maxFrameBytes: 64 })
    const released: Buffer[] = []
    for (let i = 0; i < 100; i++) {
      released.push(...splitter.push(Buffer.from('x'.repeat(10))))
      expect(splitter.heldBytes).toBeLessThanOrEqual(64)
    }
    released.push(...splitter.push(Buffer.from('\n\ndata: next\n\n')))
    const all = Buffer.concat([...released, splitter.end()]).toString()
    expect(all).toBe('x'.repeat(1000) + '\n\ndata: next\n\n')
    expect(released.at(-1)?.toString()).toBe('data: next\n\n')
  })
})

describe('frameData', () => {
  it.each([
    ['data: {"a":1}\n\n', '{"a":1}'],
    ['event: x\r\ndata:{"a":1}\r\n\r\n', '{"a":1}'],
    ['data: one\ndata: two\n\n', 'one\ntwo'],
    [': comment\nid: 7\n\n', '']
  ])('%j → %j', (frame, data) => {
    expect(frameData(frame)).toBe(data)
  })
})
