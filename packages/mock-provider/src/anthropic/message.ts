import { randomBytes } from 'node:crypto'
import { messageId } from '../ids.js'
import { QUOTED_CHARS, planReply } from '../reply.js'
import type { ChatCompletionRequest } from '../schemas/chat-completion-request.js'
import type { MessageParam, MessagesRequest, Tool } from '../schemas/messages-request.js'
import { countTokens, TOKENS_PER_MESSAGE } from '../tokens.js'
import type { AnthropicMessage, AnthropicUsage, ContentBlock, StopReason } from './wire.js'

// The mock's deterministic Anthropic answer to a Messages request, and its stream events.
//
// Tool use: when the request has tools, tool_choice is not "none", and the conversation does not
// end with tool results, the answer calls a tool: the named one for tool_choice {type: "tool"},
// else the first. Its input is derived from the tool's input_schema and the last user text (see
// toolInput). With tool_choice "auto" (or none given) a short text block comes first, as Claude
// usually writes one, so the tool_use is content block 1 — what a client's tool-call index
// renumbering has to cope with. After tool results the answer is ordinary text.

const toolUseId = (): string => `toolu_${randomBytes(12).toString('hex')}`

const blockText = (content: MessageParam['content']): string =>
  typeof content === 'string' ? content : content.map((b) => b.type === 'text' ? b.text ?? '' : '').join('\n')

/** The request seen through the OpenAI-shaped view the mock's `reply` option takes. */
export function asChatRequest (request: MessagesRequest): Pick<ChatCompletionRequest, 'model' | 'messages'> {
  return { model: request.model, messages: request.messages.map((m) => ({ role: m.role, content: blockText(m.content) })) }
}

/** input_tokens: the mock tokenizer over the system prompt and every message, as for chat completions. */
export function countInputTokens (request: MessagesRequest): number {
  let total = 0
  if (request.system !== undefined) total += TOKENS_PER_MESSAGE + countTokens(typeof request.system === 'string' ? request.system : blockText(request.system))
  for (const message of request.messages) total += TOKENS_PER_MESSAGE + countTokens(blockText(message.content))
  return total
}

function lastUserText (request: MessagesRequest): string {
  const last = request.messages.findLast((m) => m.role === 'user')
  return last === undefined ? '' : blockText(last.content).slice(0, QUOTED_CHARS).trimEnd()
}

function endsWithToolResults (request: MessagesRequest): boolean {
  const last = request.messages.at(-1)
  return last?.role === 'user' && typeof last.content !== 'string' && last.content.some((b) => b.type === 'tool_result')
}

function chosenTool (request: MessagesRequest): Tool | undefined {
  const tools = request.tools ?? []
  const choice = request.tool_choice
  if (tools.length === 0 || choice?.type === 'none' || endsWithToolResults(request)) return undefined
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name) ?? tools[0]
  return tools[0]
}

/**
 * Every property of the tool's input_schema gets a value from the last user text: strings its
 * first 40 characters, numbers and integers its word count, booleans true, anything else null.
 */
export function toolInput (tool: Tool, text: string): Record<string, unknown> {
  const properties = (tool.input_schema as { properties?: unknown }).properties
  const input: Record<string, unknown> = {}
  if (typeof properties !== 'object' || properties === null) return input
  for (const [name, schema] of Object.entries(properties as Record<string, { type?: unknown }>)) {
    const type = schema?.type
    input[name] = type === 'string' ? text : type === 'number' || type === 'integer' ? countTokens(text) : type === 'boolean' ? true : null
  }
  return input
}

export interface PlannedMessage {
  message: AnthropicMessage
  /** The text block's pieces (one per word), as the stream sends them. */
  textPieces: string[]
}

export function planMessage (request: MessagesRequest, replyText: string): PlannedMessage {
  const content: ContentBlock[] = []
  const prompt = lastUserText(request)
  if (request.thinking?.type === 'enabled') {
    content.push({ type: 'thinking', thinking: `The user wrote: ${prompt}`, signature: `mock-signature-${countTokens(prompt)}` })
  }
  const tool = chosenTool(request)
  let textPieces: string[]
  let stopReason: StopReason
  let outputTokens: number
  if (tool !== undefined) {
    const forced = request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool'
    const preamble = forced ? [] : planReply(`Calling ${tool.name}.`, undefined).pieces
    textPieces = preamble
    if (preamble.length > 0) content.push({ type: 'text', text: preamble.join('') })
    content.push({ type: 'tool_use', id: toolUseId(), name: tool.name, input: toolInput(tool, prompt) })
    stopReason = 'tool_use'
    outputTokens = preamble.length + 1
  } else {
    const planned = planReply(replyText, request.max_tokens)
    textPieces = planned.pieces
    content.push({ type: 'text', text: planned.content })
    stopReason = planned.finishReason === 'length' ? 'max_tokens' : 'end_turn'
    outputTokens = planned.pieces.length
  }
  const usage: AnthropicUsage = { input_tokens: countInputTokens(request), output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
  return {
    message: { id: messageId(), type: 'message', role: 'assistant', model: request.model, content, stop_reason: stopReason, stop_sequence: null, usage },
    textPieces
  }
}

const sse = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

/**
 * The documented event sequence for `planned`: message_start (empty content, output_tokens 1),
 * per block content_block_start / deltas / content_block_stop (a ping after the first block
 * starts, as Anthropic sends one), message_delta with stop reason and output usage, message_stop.
 * Text streams one word per text_delta; a tool's input as two input_json_delta halves after an
 * empty one; thinking as one thinking_delta and a signature_delta.
 */
export function messageEvents ({ message, textPieces }: PlannedMessage): string[] {
  const events = [sse('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } } })]
  message.content.forEach((block, index) => {
    const start = events.length
    switch (block.type) {
      case 'text':
        events.push(sse('content_block_start', { index, content_block: { type: 'text', text: '' } }))
        for (const piece of textPieces) events.push(sse('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }))
        break
      case 'thinking':
        events.push(sse('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }))
        events.push(sse('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } }))
        events.push(sse('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }))
        break
      case 'tool_use': {
        const json = JSON.stringify(block.input)
        const half = Math.ceil(json.length / 2)
        events.push(sse('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }))
        for (const partial of ['', json.slice(0, half), json.slice(half)]) {
          events.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } }))
        }
        break
      }
    }
    if (index === 0) events.splice(start + 1, 0, sse('ping', {}))
    events.push(sse('content_block_stop', { index }))
  })
  events.push(sse('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } }))
  events.push(sse('message_stop', {}))
  return events
}

/** Anthropic's in-stream error event. */
export function errorEvent (body: unknown): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`
}
