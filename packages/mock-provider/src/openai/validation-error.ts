import { invalidRequestBody, missingModelBody } from './error-bodies.js'
import type { OpenAIErrorBody } from './wire.js'

/** The fields of an Ajv error that Fastify attaches to a validation failure. */
export interface ValidationIssue {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
}

/** JSON-pointer segments → OpenAI's param notation: `/messages/0/role` → `messages[0].role`. */
export function formatParam (segments: readonly string[]): string {
  let out = ''
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`
    else out += out === '' ? segment : `.${segment}`
  }
  return out
}

function pointerSegments (instancePath: string): string[] {
  if (instancePath === '') return []
  return instancePath.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function valueAt (root: unknown, segments: readonly string[]): unknown {
  let value = root
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[segment]
  }
  return value
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  array: 'an array',
  object: 'an object',
  integer: 'an integer',
  number: 'a decimal',
  boolean: 'a boolean',
  null: 'null'
}

function describeValue (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal'
  return TYPE_NAMES[typeof value] ?? typeof value
}

const quoteList = (values: readonly unknown[]): string => {
  const quoted = values.map((v) => `'${String(v)}'`)
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1) ?? ''}`
}

/**
 * Words a body-validation failure the way OpenAI does (message, `param` in its notation, `code`),
 * so a router's handling of provider 400s is tested against realistic bodies.
 */
export function validationErrorBody (issue: ValidationIssue | undefined, body: unknown): OpenAIErrorBody {
  if (issue === undefined) return invalidRequestBody('Invalid request.', null, null)
  const segments = pointerSegments(issue.instancePath)
  const param = formatParam(segments)
  const value = valueAt(body, segments)
  const limit = issue.params['limit']
  switch (issue.keyword) {
    case 'required': {
      const missing = String(issue.params['missingProperty'])
      if (segments.length === 0 && missing === 'model') return missingModelBody()
      const missingParam = formatParam([...segments, missing])
      return invalidRequestBody(`Missing required parameter: '${missingParam}'.`, missingParam, 'missing_required_parameter')
    }
    case 'type':
      // No JSON object at all (empty or scalar body): OpenAI complains about the first thing it misses.
      if (segments.length === 0) return missingModelBody()
      return invalidRequestBody(
        `Invalid type for '${param}': expected ${TYPE_NAMES[String(issue.params['type'])] ?? String(issue.params['type'])}, but got ${describeValue(value)} instead.`,
        param, 'invalid_type')
    case 'minItems':
      return invalidRequestBody(`Invalid '${param}': empty array. Expected an array with minimum length ${String(limit)}, but got an empty array instead.`, param, 'empty_array')
    case 'minimum':
      return invalidRequestBody(`Invalid '${param}': integer below minimum value. Expected a value >= ${String(limit)}, but got ${String(value)} instead.`, param, 'integer_below_min_value')
    case 'maximum':
      return invalidRequestBody(`Invalid '${param}': integer above maximum value. Expected a value <= ${String(limit)}, but got ${String(value)} instead.`, param, 'integer_above_max_value')
    case 'enum': {
      const allowed = Array.isArray(issue.params['allowedValues']) ? issue.params['allowedValues'] : []
      return invalidRequestBody(`Invalid value: '${String(value)}'. Supported values are: ${quoteList(allowed)}.`, param, 'invalid_value')
    }
    default:
      return invalidRequestBody(`Invalid '${param}': ${issue.message ?? 'invalid value'}.`, param === '' ? null : param, null)
  }
}
