import { SwitchyardError } from '@switchyard/errors'
import type { Deployment } from '../../routing/routing-table.js'
import type { ChatCompletionRequest } from '../../schemas/chat-completion.js'
import type { UpstreamRequest } from '../types.js'
import {
  ANTHROPIC_VERSION,
  type AssistantBlockParam,
  type ImageBlockParam,
  type MessageParam,
  type MessagesRequest,
  type TextBlockParam,
  type ToolChoiceParam,
  type ToolParam,
  type UserBlockParam
} from './types.js'

// OpenAI chat request → Anthropic Messages request. What maps, what is refused and why:
// docs/adr/0016-anthropic-provider.md. Every refusal is a 400 naming the parameter, because a
// client that asked for n=3 or logprobs and silently got something else has a bug it cannot see.

/** Anthropic requires max_tokens; used when the client sends neither max_tokens nor max_completion_tokens. */
export const DEFAULT_MAX_TOKENS = 4096

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function unsupported (param: string, deployment: Deployment, why: string): SwitchyardError {
  const provider = deployment.provider.id
  return new SwitchyardError('UNSUPPORTED_PARAMETER', {
    message: `The parameter "${param}" is not supported by the provider "${provider}" serving this model: ${why}.`,
    details: { param, provider }
  })
}

function invalid (param: string, message: string): SwitchyardError {
  return new SwitchyardError('INVALID_REQUEST', { message: `${param}: ${message}`, details: { param } })
}

/** Parameters Anthropic has no equivalent for, with the value that means "not used". */
function refuseUnhonourable (body: Json, deployment: Deployment): void {
  const set = (name: string): boolean => body[name] !== undefined && body[name] !== null
  if (set('n') && body['n'] !== 1) throw unsupported('n', deployment, 'Anthropic returns exactly one choice')
  if (body['logprobs'] === true) throw unsupported('logprobs', deployment, 'Anthropic does not return log probabilities')
  if (set('top_logprobs')) throw unsupported('top_logprobs', deployment, 'Anthropic does not return log probabilities')
  if (isObject(body['logit_bias']) && Object.keys(body['logit_bias']).length > 0) throw unsupported('logit_bias', deployment, 'Anthropic has no token biasing')
  for (const penalty of ['presence_penalty', 'frequency_penalty']) {
    if (set(penalty) && body[penalty] !== 0) throw unsupported(penalty, deployment, 'Anthropic has no repetition penalties')
  }
  if (set('seed')) throw unsupported('seed', deployment, 'Anthropic has no seeded sampling')
  const format = body['response_format']
  if (isObject(format) && format['type'] !== 'text') throw unsupported('response_format', deployment, `type "${String(format['type'])}" is not available through this adapter`)
  if (set('audio') || (Array.isArray(body['modalities']) && body['modalities'].some((m) => m !== 'text'))) throw unsupported(set('audio') ? 'audio' : 'modalities', deployment, 'Anthropic answers in text only')
  if (set('prediction')) throw unsupported('prediction', deployment, 'Anthropic has no predicted outputs')
  if (set('web_search_options')) throw unsupported('web_search_options', deployment, 'use Anthropic server tools directly instead')
  if (set('reasoning_effort')) throw unsupported('reasoning_effort', deployment, 'send Anthropic\'s "thinking" object instead (e.g. {"type":"enabled","budget_tokens":2048})')
  if (set('functions') || set('function_call')) throw unsupported(set('functions') ? 'functions' : 'function_call', deployment, 'use tools and tool_choice')
}

/** `data:image/png;base64,AAAA` → base64 source; any other URL → url source (Anthropic fetches it). */
function imageBlock (part: Json, param: string): ImageBlockParam {
  const imageUrl = part['image_url']
  const url = isObject(imageUrl) ? imageUrl['url'] : imageUrl
  if (typeof url !== 'string' || url === '') throw invalid(`${param}.image_url.url`, 'must be a non-empty string')
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url)
  if (data !== null) return { type: 'image', source: { type: 'base64', media_type: data[1] ?? '', data: data[2] ?? '' } }
  if (url.startsWith('data:')) throw invalid(`${param}.image_url.url`, 'a data URL must be base64-encoded (data:<media type>;base64,<data>)')
  return { type: 'image', source: { type: 'url', url } }
}

/** A message's content (string or parts) → Anthropic blocks. Empty text is dropped (Anthropic rejects it). */
function contentBlocks (content: unknown, param: string, deployment: Deployment, allowImages: boolean): Array<TextBlockParam | ImageBlockParam> {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of content parts')
  const blocks: Array<TextBlockParam | ImageBlockParam> = []
  content.forEach((part: unknown, j) => {
    const at = `${param}[${j}]`
    if (!isObject(part)) throw invalid(at, 'must be an object')
    const type = part['type']
    if (type === 'text' || type === 'refusal') {
      const text = part[type]
      if (typeof text !== 'string') throw invalid(`${at}.${type}`, 'must be a string')
      if (text !== '') blocks.push({ type: 'text', text })
    } else if (type === 'image_url' && allowImages) {
      blocks.push(imageBlock(part, at))
    } else {
      throw unsupported(`${at}.type`, deployment, `content part "${String(type)}" cannot be sent to Anthropic here`)
    }
  })
  return blocks
}

function textOf (content: unknown, param: string, deployment: Deployment): string {
  return contentBlocks(content, param, deployment, false).map((b) => (b as TextBlockParam).text).join('\n')
}

function toolUseBlocks (toolCalls: unknown, param: string): AssistantBlockParam[] {
  if (toolCalls === undefined || toolCalls === null) return []
  if (!Array.isArray(toolCalls)) throw invalid(param, 'must be an array')
  return toolCalls.map((call: unknown, k) => {
    const at = `${param}[${k}]`
    const fn = isObject(call) ? call['function'] : undefined
    if (!isObject(call) || typeof call['id'] !== 'string' || !isObject(fn) || typeof fn['name'] !== 'string') {
      throw invalid(at, 'must be {"id", "type": "function", "function": {"name", "arguments"}}')
    }
    const args = fn['arguments']
    let input: unknown = {}
    if (typeof args === 'string' && args.trim() !== '') {
      try {
        input = JSON.parse(args)
      } catch {
        throw invalid(`${at}.function.arguments`, 'is not valid JSON')
      }
    }
    return { type: 'tool_use', id: call['id'], name: fn['name'], input }
  })
}

interface Conversation {
  system: TextBlockParam[]
  messages: MessageParam[]
}

/**
 * OpenAI messages → Anthropic's system + alternating turns. System and developer messages (at any
 * position) become the top-level system prompt, in order. Tool results become tool_result blocks
 * of one user turn; results and the user text that follows them share that turn, results first,
 * as Anthropic requires after a tool_use turn.
 */
function convertMessages (messages: readonly unknown[], deployment: Deployment): Conversation {
  const system: TextBlockParam[] = []
  const out: MessageParam[] = []
  const userTurn = (): UserBlockParam[] => {
    const last = out.at(-1)
    if (last?.role === 'user') return last.content
    const turn: MessageParam = { role: 'user', content: [] }
    out.push(turn)
    return turn.content
  }
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`
    if (!isObject(message)) throw invalid(at, 'must be an object')
    const role = message['role']
    switch (role) {
      case 'system':
      case 'developer': {
        const text = textOf(message['content'], `${at}.content`, deployment)
        if (text !== '') system.push({ type: 'text', text })
        return
      }
      case 'user': {
        const blocks = contentBlocks(message['content'], `${at}.content`, deployment, true)
        if (blocks.length > 0) userTurn().push(...blocks)
        return
      }
      case 'assistant': {
        const blocks: AssistantBlockParam[] = [
          ...contentBlocks(message['content'], `${at}.content`, deployment, false) as TextBlockParam[],
          ...toolUseBlocks(message['tool_calls'], `${at}.tool_calls`)
        ]
        if (blocks.length > 0) out.push({ role: 'assistant', content: blocks })
        return
      }
      case 'tool': {
        const id = message['tool_call_id']
        if (typeof id !== 'string' || id === '') throw invalid(`${at}.tool_call_id`, 'must be a non-empty string')
        const turn = userTurn()
        const content = contentBlocks(message['content'], `${at}.content`, deployment, true)
        // Results go before any user text already in this turn (a user message between results).
        const firstNonResult = turn.findIndex((b) => b.type !== 'tool_result')
        turn.splice(firstNonResult === -1 ? turn.length : firstNonResult, 0, {
          type: 'tool_result',
          tool_use_id: id,
          ...(content.length === 0 ? {} : { content })
        })
        return
      }
      default:
        throw unsupported(`${at}.role`, deployment, `role "${String(role)}" has no Anthropic equivalent`)
    }
  })
  return { system, messages: out }
}

function convertTools (tools: unknown, deployment: Deployment): ToolParam[] | undefined {
  if (tools === undefined || tools === null) return undefined
  if (!Array.isArray(tools)) throw invalid('tools', 'must be an array')
  return tools.map((tool: unknown, i) => {
    const fn = isObject(tool) ? tool['function'] : undefined
    if (!isObject(tool) || tool['type'] !== 'function') throw unsupported(`tools[${i}].type`, deployment, 'only function tools can be translated')
    if (!isObject(fn) || typeof fn['name'] !== 'string') throw invalid(`tools[${i}].function.name`, 'must be a string')
    const converted: ToolParam = { name: fn['name'], input_schema: fn['parameters'] ?? { type: 'object', properties: {} } }
    if (typeof fn['description'] === 'string') converted.description = fn['description']
    return converted
  })
}

function convertToolChoice (choice: unknown, parallel: unknown): ToolChoiceParam | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {}
  if (choice === undefined || choice === null) return parallel === false ? { type: 'auto', ...noParallel } : undefined
  if (choice === 'none') return { type: 'none' }
  if (choice === 'auto') return { type: 'auto', ...noParallel }
  if (choice === 'required') return { type: 'any', ...noParallel }
  const fn = isObject(choice) ? choice['function'] : undefined
  if (isObject(choice) && choice['type'] === 'function' && isObject(fn) && typeof fn['name'] === 'string') {
    return { type: 'tool', name: fn['name'], ...noParallel }
  }
  throw invalid('tool_choice', 'must be "none", "auto", "required" or {"type":"function","function":{"name"}}')
}

function maxTokensOf (body: Json): number {
  for (const name of ['max_completion_tokens', 'max_tokens']) {
    const value = body[name]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(name, 'must be a positive integer')
    return value
  }
  return DEFAULT_MAX_TOKENS
}

function stopSequencesOf (stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined
  if (typeof stop === 'string') return [stop]
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) return stop as string[]
  throw invalid('stop', 'must be a string or an array of strings')
}

/** The Anthropic body for an OpenAI chat request. Throws UNSUPPORTED_PARAMETER / INVALID_REQUEST. */
export function buildMessagesBody (request: ChatCompletionRequest, deployment: Deployment): MessagesRequest {
  const body = request as Json
  refuseUnhonourable(body, deployment)
  const { system, messages } = convertMessages(request.messages, deployment)
  const upstream: MessagesRequest = { model: deployment.model, max_tokens: maxTokensOf(body), messages }
  if (system.length === 1) upstream.system = system[0]?.text ?? ''
  else if (system.length > 1) upstream.system = system
  const stop = stopSequencesOf(body['stop'])
  if (stop !== undefined && stop.length > 0) upstream.stop_sequences = stop
  for (const name of ['temperature', 'top_p', 'top_k'] as const) {
    const value = body[name]
    if (typeof value === 'number') upstream[name] = value
  }
  const tools = convertTools(body['tools'], deployment)
  if (tools !== undefined) upstream.tools = tools
  const toolChoice = convertToolChoice(body['tool_choice'], body['parallel_tool_calls'])
  if (toolChoice !== undefined) upstream.tool_choice = toolChoice
  if (typeof body['user'] === 'string' && body['user'] !== '') upstream.metadata = { user_id: body['user'] }
  if (body['thinking'] !== undefined && body['thinking'] !== null) upstream.thinking = body['thinking']
  if (request.stream === true) upstream.stream = true
  return upstream
}

/** Joins the provider's base path (baseUrl includes the version, e.g. https://api.anthropic.com/v1) and /messages. */
export function messagesPath (deployment: Deployment): string {
  return `${deployment.provider.basePath}/messages`
}

export function buildMessagesRequest (request: ChatCompletionRequest, deployment: Deployment): UpstreamRequest {
  const key = deployment.provider.apiKey
  return {
    path: messagesPath(deployment),
    headers: {
      'content-type': 'application/json',
      accept: request.stream === true ? 'text/event-stream' : 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
      ...(key === undefined ? {} : { 'x-api-key': key })
    },
    body: JSON.stringify(buildMessagesBody(request, deployment))
  }
}
