import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { SseUsageTap } from '../../src/proxy/sse-usage-tap.js'

// A real OpenAI stream with include_usage (recorded wire format), cut into awkward pieces.
const transcript = readFileSync(new URL('../fixtures/openai-stream-with-usage.sse', import.meta.url), 'utf8')

function pieces (s: string, size: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < s.length; i += size) out.push(Buffer.from(s.slice(i, i + size)))
  return out
}

describe('SseUsageTap', () => {
  it('passes the stream through unchanged and reads usage, whatever the chunking', async () => {
    for (const size of [1, 7, 64, transcript.length]) {
      const tap = new SseUsageTap({ hideUsageChunk: false })
      const out = await text(Readable.from(pieces(transcript, size)).pipe(tap))
      expect(out).toBe(transcript)
      expect(tap.usage).toEqual({ promptTokens: 19, completionTokens: 10, totalTokens: 29 })
    }
  })

  it('hides the usage-only chunk from clients that did not ask for it, still accounting it', async () => {
    const tap = new SseUsageTap({ hideUsageChunk: true })
    const out = await text(Readable.from(pieces(transcript, 13)).pipe(tap))
    expect(out).not.toContain('"prompt_tokens"')
    expect(out).toContain('data: [DONE]')
    expect(out.split('\n\n').filter((e) => e.startsWith('data: {')).length).toBe(transcript.split('\n\n').filter((e) => e.startsWith('data: {')).length - 1)
    expect(tap.usage?.totalTokens).toBe(29)
  })

  it('remembers the code of an in-stream error event', async () => {
    const tap = new SseUsageTap({ hideUsageChunk: true })
    const body = 'data: {"id":"x","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n' +
      'data: {"error":{"message":"The provider \\"mock\\" did not answer in time.","type":"api_error","code":"PROVIDER_TIMEOUT"}}\n\n'
    const out = await text(Readable.from([Buffer.from(body)]).pipe(tap))
    expect(out).toBe(body)
    expect(tap.errorCode).toBe('PROVIDER_TIMEOUT')
  })
})
