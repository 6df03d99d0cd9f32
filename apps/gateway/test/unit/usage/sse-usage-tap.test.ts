import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { relayInto } from '@switchyard/sse'
import { describe, expect, it } from 'vitest'
import { countTextTokens } from '../../../src/usage/estimate-tokens.js'
import { SseUsageTap } from '../../../src/usage/sse-usage-tap.js'

// A real OpenAI stream with include_usage (recorded wire format), cut into awkward pieces.
const transcript = readFileSync(new URL('../../fixtures/openai-stream-with-usage.sse', import.meta.url), 'utf8')

function pieces (s: string, size: number): Buffer[] {
  const bytes = Buffer.from(s)
  const out: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

async function run (input: string, hideUsage: boolean, size = input.length): Promise<{ tap: SseUsageTap, out: string }> {
  const tap = new SseUsageTap({ hideUsage })
  const out = await text(relayInto(Readable.from(pieces(input, size)), tap))
  return { tap, out }
}

const chunk = (delta: object, extra = ''): string => `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":null}]${extra}}\n\n`

describe('SseUsageTap', () => {
  it('passes the stream through byte for byte and reads usage when the client asked for it, whatever the chunking', async () => {
    for (const size of [1, 7, 64, transcript.length]) {
      const { tap, out } = await run(transcript, false, size)
      expect(out).toBe(transcript)
      expect(tap.usage).toEqual({ promptTokens: 19, completionTokens: 10, totalTokens: 29 })
    }
  })

  it('hides the usage chunk and every "usage": null from clients that did not ask, still accounting it', async () => {
    for (const size of [1, 13, transcript.length]) {
      const { tap, out } = await run(transcript, true, size)
      expect(out).not.toContain('"usage"')
      expect(out).toContain('data: [DONE]')
      const events = (s: string) => s.split('\n\n').filter((e) => e.startsWith('data: {'))
      expect(events(out).length).toBe(events(transcript).length - 1)
      // What remains is the provider's JSON minus the usage field, nothing else changed.
      for (const [i, e] of events(out).entries()) {
        const original = JSON.parse(events(transcript)[i]!.slice(6)) as Record<string, unknown>
        delete original['usage']
        expect(JSON.parse(e.slice(6))).toEqual(original)
      }
      expect(tap.usage?.totalTokens).toBe(29)
    }
  })

  it('removes "usage": null written with spaces, as some OpenAI-compatible servers do', async () => {
    const body = 'data: {"id": "c", "choices": [{"index": 0, "delta": {"content": "Hi"}}], "usage": null}\n\n' +
      'data: {"usage": null, "id": "d", "choices": []}\n\ndata: [DONE]\n\n'
    const { out } = await run(body, true)
    expect(out).toBe('data: {"id": "c", "choices": [{"index": 0, "delta": {"content": "Hi"}}]}\n\ndata: {"id": "d", "choices": []}\n\ndata: [DONE]\n\n')
    expect((await run(body, false)).out).toBe(body)
  })

  it('leaves a content string that merely mentions "usage": null alone', async () => {
    const body = chunk({ content: 'the field "usage":null is' }, ',"usage":null')
    const { out } = await run(body, true)
    expect(JSON.parse(out.slice(6))).toMatchObject({ choices: [{ delta: { content: 'the field "usage":null is' } }] })
    expect(out).not.toMatch(/\}\s*,\s*"usage"\s*:\s*null\s*\}/)
  })

  it('keeps a usage the provider reported as zero (a report, not an absence)', async () => {
    const body = chunk({ content: 'Hello there' }) + 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}\n\ndata: [DONE]\n\n'
    const { tap } = await run(body, true)
    expect(tap.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 })
  })

  it('remembers the code of an in-stream error event', async () => {
    const body = chunk({ content: 'Hi' }) +
      'data: {"error":{"message":"The provider \\"mock\\" did not answer in time.","type":"api_error","code":"PROVIDER_TIMEOUT"}}\n\n'
    const { tap, out } = await run(body, true)
    expect(out).toBe(body)
    expect(tap.errorCode).toBe('PROVIDER_TIMEOUT')
  })

  it('estimates completion tokens from the content and tool-call arguments relayed, only when asked', async () => {
    const body = chunk({ role: 'assistant', content: '' }) + chunk({ content: 'Paris is the capital ' }) + chunk({ content: 'of France. ' }) +
      chunk({ tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'lookup', arguments: '{"city":' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] })
    const { tap } = await run(body, true, 5)
    expect(tap.usage).toBeUndefined()
    expect(tap.estimateCompletionTokens()).toBe(countTextTokens('Paris is the capital of France. {"city":"Paris"}'))
    expect(tap.estimateCompletionTokens()).toBeGreaterThan(5)
  })

  it('handles CRLF-framed streams', async () => {
    const body = transcript.replaceAll('\n', '\r\n')
    const { tap, out } = await run(body, false, 11)
    expect(out).toBe(body)
    expect(tap.usage?.totalTokens).toBe(29)
  })
})
