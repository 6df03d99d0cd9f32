import { SwitchyardError } from '@switchyard/errors'
import type { FastifyError } from 'fastify'

interface ValidationIssue { instancePath?: string, params?: Record<string, unknown> }

/** Names the offending field of a Fastify/Ajv validation failure, e.g. "messages" or "temperature". */
function paramOf (validation: ValidationIssue[] | undefined): string | null {
  const first = validation?.[0]
  if (first === undefined) return null
  // A missing property, or one the schema does not allow (additionalProperties: false), is named in params.
  const named = first.params?.['missingProperty'] ?? first.params?.['additionalProperty']
  const path = (first.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.')
  if (typeof named === 'string') return path === '' ? named : `${path}.${named}`
  return path === '' ? null : path
}

/**
 * Maps anything thrown inside a request onto the catalogue. Fastify's own errors (validation,
 * body parsing) become specific 4xx codes; anything unknown becomes INTERNAL_ERROR with the
 * original kept as `cause` for the log.
 */
export function toSwitchyardError (err: unknown): SwitchyardError {
  if (err instanceof SwitchyardError) return err
  const fe = err as Partial<FastifyError> & { validation?: ValidationIssue[] }
  if (fe.validation !== undefined) {
    const param = paramOf(fe.validation)
    return new SwitchyardError('INVALID_REQUEST', {
      message: `Invalid request: ${fe.message ?? 'validation failed'}`,
      details: param === null ? undefined : { param },
      cause: err
    })
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new SwitchyardError('INVALID_JSON', { cause: err })
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SwitchyardError('PAYLOAD_TOO_LARGE', { cause: err })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SwitchyardError('UNSUPPORTED_MEDIA_TYPE', { cause: err })
  }
  // A JSON.parse SyntaxError surfaced by a custom parser still means the client sent bad JSON.
  if (err instanceof SyntaxError && fe.statusCode === 400) {
    return new SwitchyardError('INVALID_JSON', { cause: err })
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new SwitchyardError('INVALID_REQUEST', { message: fe.message ?? 'Invalid request', status: fe.statusCode, cause: err })
  }
  return new SwitchyardError('INTERNAL_ERROR', { cause: err })
}
