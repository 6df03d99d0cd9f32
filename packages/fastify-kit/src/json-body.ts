import { SwitchyardError } from '@switchyard/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The JSON body's text as it arrived (null: no JSON body). A hop that forwards the body sends
     * these bytes instead of serialising the parsed object again; whoever changes the parsed
     * body changes the text too (`appendJsonField`) or sets it to null.
     */
    rawJsonBody: string | null
  }
}

/**
 * Deepest nesting of objects/arrays a request body may have. Real API bodies stay far below it
 * (a tool's JSON schema rarely passes 20 levels); far above it, serialising the body again for
 * the next hop (JSON.stringify is recursive) overflows the stack.
 */
export const MAX_JSON_DEPTH = 128

const OPEN_BRACE = 0x7B
const OPEN_BRACKET = 0x5B
const CLOSE_BRACE = 0x7D
const CLOSE_BRACKET = 0x5D
const QUOTE = 0x22
const BACKSLASH = 0x5C

/** True when the quote at `at` is escaped (preceded by an odd number of backslashes). */
function isEscaped (text: string, at: number): boolean {
  let backslashes = 0
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === BACKSLASH; i--) backslashes++
  return backslashes % 2 === 1
}

/**
 * Whether a JSON text nests deeper than `limit`, stopping as soon as it does: one pass over the
 * structure, jumping over each string with the native `indexOf` (chat bodies are mostly string
 * content), no allocation. Runs before JSON.parse, so a hostile body (10 MB of brackets takes
 * seconds to parse) costs one scan and nothing more. Malformed text is left to JSON.parse.
 */
export function exceedsJsonDepth (text: string, limit: number): boolean {
  let depth = 0
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1)
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1)
      if (end === -1) return false
      i = end
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--
    }
  }
  return false
}

// The keys that can alter an object's prototype when a parsed body is later merged with
// Object.assign or a deep-merge; the escaped spellings parse to the same key.
const protoText = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"/
const constructorText = /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"/

/** The first prototype-altering key in a parsed value (iterative: depth is already bounded). */
function unsafeKeyIn (root: unknown): string | undefined {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    if (Object.hasOwn(node, '__proto__')) return '__proto__'
    const ctor: unknown = Object.hasOwn(node, 'constructor') ? (node as { constructor: unknown }).constructor : undefined
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) return 'constructor'
    for (const value of Object.values(node)) if (typeof value === 'object' && value !== null) stack.push(value)
  }
  return undefined
}

/**
 * Parses a JSON request body with the checks Fastify's default parser lacks or words badly:
 * nesting deeper than `maxDepth` → JSON_TOO_DEEP; a `__proto__` / `constructor.prototype` key
 * → UNSAFE_JSON_KEY (Fastify would call such a valid body "not valid JSON"); bad syntax or an
 * empty body → INVALID_JSON. See docs/adr/0010.
 */
export function parseJsonBody (text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (exceedsJsonDepth(text, maxDepth)) throw new SwitchyardError('JSON_TOO_DEEP', { details: { maxDepth } })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SwitchyardError('INVALID_JSON', { cause: err })
  }
  if (protoText.test(text) || constructorText.test(text)) {
    const key = unsafeKeyIn(value)
    if (key !== undefined) throw new SwitchyardError('UNSAFE_JSON_KEY', { details: { key } })
  }
  return value
}

/**
 * Adds `"name": value` to a JSON object's text (the body must be a non-empty object, which the
 * route's schema guarantees). A key already present with another value is overridden: JSON.parse
 * keeps the last of duplicate keys, everywhere the body is parsed again.
 */
export function appendJsonField (objectText: string, name: string, value: number | string | boolean): string {
  const end = objectText.lastIndexOf('}')
  if (end === -1) throw new TypeError('not a JSON object')
  return `${objectText.slice(0, end)},${JSON.stringify(name)}:${JSON.stringify(value)}}`
}

/** The body to forward: the text as it arrived when there is one, else the object serialised. */
export function jsonBodyText (request: FastifyRequest): string {
  return request.rawJsonBody ?? JSON.stringify(request.body)
}

export interface JsonBodyOptions {
  maxDepth?: number
  /**
   * Keep the text as `request.rawJsonBody` (a service that forwards bodies: the gateway). Off, the
   * text is freed once parsed: a large body is not held twice for the whole request.
   */
  keepText?: boolean
}

/** Replaces Fastify's application/json parser (body limit unchanged) with `parseJsonBody`. */
export function useJsonBodyParser (app: FastifyInstance, opts: JsonBodyOptions = {}): void {
  const { maxDepth = MAX_JSON_DEPTH, keepText = false } = opts
  if (!app.hasRequestDecorator('rawJsonBody')) app.decorateRequest('rawJsonBody', null)
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      const value = parseJsonBody(body as string, maxDepth)
      if (keepText) request.rawJsonBody = body as string
      done(null, value)
    } catch (err) {
      done(err as Error, undefined)
    }
  })
}
