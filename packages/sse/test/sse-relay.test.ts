import { PassThrough, Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { relayInto, relaySse, SseRelay } from '../src/index.js'

const readFixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

const errorEvent = (err: unknown) => `data: {"error":{"message":"${(err as Error).message}"}}\n\n`

describe('relaySse', () => {
  it('passes a recorded OpenAI stream through byte for byte', async () => {
    const transcript = readFixture('openai-stream.sse')
    // Cut into odd-sized pieces, as TCP does.
    const pieces = transcript.match(/[\s\S]{1,37}/g) ?? []
    const relay = relaySse(Readable.from(pieces.map((p) => Buffer.from(p))), errorEvent)
    expect(await text(relay)).toBe(transcript)
  })

  it('forwards each complete event as soon as it arrives, holding back only an unfinished one', async () => {
    const upstream = new PassThrough()
    const relay = relaySse(upstream, errorEvent)
    const seen: string[] = []
    relay.on('data', (chunk: Buffer) => seen.push(chunk.toString()))

    upstream.write('data: {"n":1}\n\ndata: {"n"')
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen).toEqual(['data: {"n":1}\n\n'])

    upstream.write(':2}\n\n')
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen).toEqual(['data: {"n":1}\n\n', 'data: {"n":2}\n\n'])
    upstream.end('data: [DONE]\n\n')
  })

  it('ends with one error event, dropping the half event, when the upstream fails mid-stream', async () => {
    const upstream = new PassThrough()
    const relay = relaySse(upstream, errorEvent)
    const body = text(relay)
    upstream.write('data: {"n":1}\n\ndata: {"n":2, "trunc')
    await new Promise((resolve) => setImmediate(resolve))
    upstream.destroy(new Error('body timeout'))
    expect(await body).toBe('data: {"n":1}\n\ndata: {"error":{"message":"body timeout"}}\n\n')
  })

  it('ends silently when the error event builder says nobody is listening', async () => {
    const upstream = new PassThrough()
    const relay = relaySse(upstream, () => undefined)
    const body = text(relay)
    upstream.write('data: {"n":1}\n\n')
    upstream.destroy(new Error('aborted'))
    expect(await body).toBe('data: {"n":1}\n\n')
  })

  it('pauses the upstream while nobody reads the relay, and relays every event once read', async () => {
    const event = `data: {"pad":"${'x'.repeat(1000)}"}\n\n`
    const events = 2000
    let sent = 0
    const upstream = new Readable({
      read () {
        // Pulled on demand, like a socket: sent stops growing while the relay holds back.
        if (sent === events) { this.push(null); return }
        sent++
        this.push(event)
      }
    })
    const relay = relaySse(upstream, errorEvent)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sent).toBeLessThan(events / 4)
    expect(upstream.isPaused()).toBe(true)
    const body = await text(relay)
    expect(body.length).toBe(event.length * events)
  })

  it('relays bytes already read from the upstream first, an event split between them included', async () => {
    const held = Buffer.from('data: {"n":1}\n\ndata: {')
    const upstream = new PassThrough()
    const out = text(relayInto(upstream, new SseRelay(errorEvent), held))
    upstream.end('"n":2}\n\ndata: [DONE]\n\n')
    expect(await out).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n')
  })

  it('ends with the error event when the upstream failed before the relay took it over', async () => {
    const upstream = new PassThrough()
    upstream.on('error', () => {})
    upstream.destroy(new Error('reset'))
    await new Promise((resolve) => setImmediate(resolve))
    const relay = relayInto(upstream, new SseRelay(errorEvent), Buffer.from('data: {"n":1}\n\n'))
    expect(await text(relay)).toBe('data: {"n":1}\n\ndata: {"error":{"message":"reset"}}\n\n')
  })

  it('destroys the upstream body when the relay is destroyed (the client went away)', async () => {
    const upstream = new PassThrough()
    const relay = relaySse(upstream, errorEvent)
    upstream.write('data: {"n":1}\n\n')
    relay.destroy()
    await new Promise((resolve) => setImmediate(resolve))
    expect(upstream.destroyed).toBe(true)
  })

  it('a subclass sees every whole event once, the final error event included, and can rewrite or drop it', async () => {
    class Upper extends SseRelay {
      readonly seen: string[] = []
      protected override relayFrame (frame: Buffer): Buffer | undefined {
        this.seen.push(frame.toString())
        return frame.includes('drop') ? undefined : Buffer.from(frame.toString().toUpperCase())
      }
    }
    const upstream = new PassThrough()
    const relay = relayInto(upstream, new Upper(errorEvent))
    const body = text(relay)
    upstream.write('data: {"n":1}\n\ndata: drop\n\ndata: {"n"')
    await new Promise((resolve) => setImmediate(resolve))
    upstream.write(':2}\n\ndata: {"half')
    await new Promise((resolve) => setImmediate(resolve))
    upstream.destroy(new Error('reset'))
    expect(await body).toBe('DATA: {"N":1}\n\nDATA: {"N":2}\n\nDATA: {"ERROR":{"MESSAGE":"RESET"}}\n\n')
    expect(relay.seen).toEqual(['data: {"n":1}\n\n', 'data: drop\n\n', 'data: {"n":2}\n\n', 'data: {"error":{"message":"reset"}}\n\n'])
  })

  it('ends with the error event when the upstream closes without ending or failing', async () => {
    const upstream = new PassThrough()
    const relay = relaySse(upstream, errorEvent)
    const body = text(relay)
    upstream.write('data: {"n":1}\n\n')
    await new Promise((resolve) => setImmediate(resolve))
    upstream.destroy()
    expect(await body).toBe('data: {"n":1}\n\ndata: {"error":{"message":"Premature close"}}\n\n')
  })

  it('a subclass whose event reader throws fails the relay and destroys the upstream', async () => {
    class Broken extends SseRelay {
      protected override relayFrame (): Buffer | undefined { throw new Error('reader bug') }
    }
    const upstream = new PassThrough()
    const relay = relayInto(upstream, new Broken(errorEvent))
    const body = text(relay)
    upstream.write('data: {"n":1}\n\n')
    await expect(body).rejects.toThrow('reader bug')
    expect(upstream.destroyed).toBe(true)
  })
})
