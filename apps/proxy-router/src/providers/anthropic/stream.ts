import type { Readable } from 'node:stream'
import { ReadThrough } from '@switchyard/sse'
import type { Deployment } from '../../routing/routing-table.js'
import { ProviderStreamError } from '../stream-error.js'
import { errorInfoOf, statusOfErrorType } from './errors.js'
import { finishReasonOf, nowSeconds, usageOf } from './response.js'
import { SseEventReader } from './sse-events.js'
import type { AnthropicUsage, ContentBlock, ContentBlockDelta, MessagesResponse, StreamEvent } from './types.js'

// Anthropic SSE (event: message_start … message_stop) → OpenAI chat.completion.chunk SSE, one
// converter per stream (a ReadThrough: a Readable that reads the provider's body; not a
// Transform, see docs/adr/0031). The mapping, event by event:
//   message_start          → a role chunk (delta {role: "assistant", content: ""}); keeps id, model, input usage
//   content_block_start    → text: nothing (its text arrives as deltas); tool_use: a tool_calls
//                            chunk with id, name and empty arguments; thinking: nothing
//   content_block_delta    → text_delta: delta.content; input_json_delta: delta.tool_calls[i].function.arguments;
//                            thinking_delta: delta.reasoning_content; signature_delta and others: nothing
//   content_block_stop     → nothing
//   message_delta          → a chunk with finish_reason; its usage updates the running usage
//   message_stop           → the usage chunk (choices: []), then data: [DONE]
//   ping                   → nothing
//   error                  → the converter fails with a ProviderStreamError (classified as the
//                            HTTP answer the error type stands for; the relay writes the final error event)
// Tool-call indexes count tool_use blocks only: the first tool_use is tool_calls[0] even when a
// text or thinking block came before it (OpenAI clients index their accumulators by it).

interface Chunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{ index: 0, delta: Record<string, unknown>, logprobs: null, finish_reason: string | null }>
  usage?: ReturnType<typeof usageOf>
}

export class AnthropicToOpenAIStream extends ReadThrough {
  readonly #reader = new SseEventReader()
  readonly #provider: string
  #id = ''
  #model: string
  #created = nowSeconds()
  #usage: AnthropicUsage = {}
  /** Content-block index → tool_calls index, for tool_use blocks only. */
  readonly #toolIndexes = new Map<number, number>()
  #started = false
  #stopped = false

  constructor (deployment: Deployment) {
    super()
    this.#provider = deployment.provider.id
    this.#model = deployment.model
  }

  protected override convert (chunk: Buffer): string {
    let out = ''
    try {
      for (const event of this.#reader.push(chunk)) out += this.#handle(event.event, event.data)
    } catch (err) {
      // What came before the failing event in the same read is still the client's: send it first.
      if (out !== '') this.push(out)
      throw err
    }
    return out
  }

  protected override finish (): undefined {
    if (this.#stopped) return undefined
    throw new ProviderStreamError({ kind: 'malformed' }, `provider "${this.#provider}" ended its Anthropic stream without message_stop`)
  }

  #chunk (delta: Record<string, unknown>, finishReason: string | null = null): string {
    const chunk: Chunk = {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }]
    }
    return `data: ${JSON.stringify(chunk)}\n\n`
  }

  #handle (name: string, data: string): string {
    if (this.#stopped) return '' // nothing is valid after message_stop; ignore rather than corrupt
    let event: StreamEvent
    try {
      event = JSON.parse(data) as StreamEvent
    } catch {
      throw new ProviderStreamError({ kind: 'malformed' }, `provider "${this.#provider}" sent an unparseable "${name}" event: ${data.slice(0, 200)}`)
    }
    if (typeof event !== 'object' || event === null) {
      throw new ProviderStreamError({ kind: 'malformed' }, `provider "${this.#provider}" sent a "${name}" event that is not an object`)
    }
    switch (event.type) {
      case 'message_start':
        return this.#messageStart(event.message)
      case 'content_block_start':
        return this.#blockStart(event.index, event.content_block)
      case 'content_block_delta':
        return this.#blockDelta(event.index, event.delta)
      case 'message_delta':
        // Later usage fields win: message_delta carries the final output_tokens (and, on newer
        // API versions, cumulative input counts too).
        this.#usage = { ...this.#usage, ...definedOnly(event.usage ?? {}) }
        return event.delta?.stop_reason === undefined ? '' : this.#chunk({}, finishReasonOf(event.delta.stop_reason))
      case 'message_stop': {
        this.#stopped = true
        const usage: Chunk = { id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.#model, choices: [], usage: usageOf(this.#usage) }
        return `data: ${JSON.stringify(usage)}\n\ndata: [DONE]\n\n`
      }
      case 'error': {
        const error = errorInfoOf(event.error)
        throw new ProviderStreamError(
          { kind: 'error-event', status: statusOfErrorType(error.type), error, body: data },
          `provider "${this.#provider}" sent an error event: ${data.slice(0, 300)}`
        )
      }
      default: // ping, content_block_stop, and event types added after this adapter was written
        return ''
    }
  }

  #messageStart (message: MessagesResponse | undefined): string {
    if (this.#started) return ''
    this.#started = true
    if (typeof message?.id === 'string') this.#id = message.id
    if (typeof message?.model === 'string') this.#model = message.model
    this.#usage = definedOnly(message?.usage ?? {})
    return this.#chunk({ role: 'assistant', content: '' })
  }

  #blockStart (index: number, block: ContentBlock): string {
    if (block?.type === 'tool_use' && typeof block['id'] === 'string' && typeof block['name'] === 'string') {
      const toolIndex = this.#toolIndexes.size
      this.#toolIndexes.set(index, toolIndex)
      return this.#chunk({ tool_calls: [{ index: toolIndex, id: block['id'], type: 'function', function: { name: block['name'], arguments: '' } }] })
    }
    if (block?.type === 'text' && typeof block['text'] === 'string' && block['text'] !== '') return this.#chunk({ content: block['text'] })
    if (block?.type === 'thinking' && typeof block['thinking'] === 'string' && block['thinking'] !== '') return this.#chunk({ reasoning_content: block['thinking'] })
    return ''
  }

  #blockDelta (index: number, delta: ContentBlockDelta): string {
    switch (delta?.type) {
      case 'text_delta':
        return typeof delta['text'] === 'string' ? this.#chunk({ content: delta['text'] }) : ''
      case 'thinking_delta':
        return typeof delta['thinking'] === 'string' ? this.#chunk({ reasoning_content: delta['thinking'] }) : ''
      case 'input_json_delta': {
        const toolIndex = this.#toolIndexes.get(index)
        if (toolIndex === undefined || typeof delta['partial_json'] !== 'string' || delta['partial_json'] === '') return ''
        return this.#chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta['partial_json'] } }] })
      }
      default: // signature_delta, citations_delta, …
        return ''
    }
  }
}

function definedOnly (usage: AnthropicUsage): AnthropicUsage {
  const out: AnthropicUsage = {}
  for (const [key, value] of Object.entries(usage) as Array<[keyof AnthropicUsage, AnthropicUsage[keyof AnthropicUsage]]>) {
    if (typeof value === 'number') out[key] = value
  }
  return out
}

export const convertAnthropicStream = (deployment: Deployment, body: Readable): Readable => new AnthropicToOpenAIStream(deployment).readFrom(body)
