import { catalogue, type ErrorCode } from './catalogue.js'
import type { OpenAIErrorType } from './types.js'

export type ErrorDetails = Record<string, unknown>

export interface SwitchyardErrorOptions {
  /** Overrides the catalogue message (already specific to this occurrence). */
  message?: string
  /** Machine-readable facts for the client (`error.details`), also used to fill the message. */
  details?: ErrorDetails
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>
  /** The underlying error; logged, never sent to the client. */
  cause?: unknown
  /** Overrides the catalogue status, e.g. to pass a provider's 503 through as 503. */
  status?: number
}

const placeholder = /\{(\w+)\}/g

function render (template: string, details: ErrorDetails | undefined): string {
  return template.replace(placeholder, (whole, name: string) => {
    const value = details?.[name]
    return value === undefined || value === null ? whole : String(value)
  })
}

/** The one error class every service throws for failures that leave it. */
export class SwitchyardError extends Error {
  override readonly name = 'SwitchyardError'
  readonly code: ErrorCode
  readonly statusCode: number
  readonly type: OpenAIErrorType
  readonly retryable: boolean
  readonly details: ErrorDetails | undefined
  readonly headers: Record<string, string>

  constructor (code: ErrorCode, options: SwitchyardErrorOptions = {}) {
    const spec = catalogue[code]
    super(options.message ?? render(spec.message, options.details), { cause: options.cause })
    this.code = code
    this.statusCode = options.status ?? spec.status
    this.type = spec.type
    this.retryable = spec.retryable
    this.details = options.details
    this.headers = options.headers ?? {}
  }
}

export function isSwitchyardError (err: unknown): err is SwitchyardError {
  return err instanceof SwitchyardError
}
