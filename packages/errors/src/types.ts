/** The `type` field of an OpenAI error object; SDKs and dashboards group errors by it. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'server_error'

export interface ErrorSpec {
  /** HTTP status sent to the client. */
  readonly status: number
  readonly type: OpenAIErrorType
  /**
   * Default client-facing message. `{name}` placeholders are filled from the error's details,
   * so a message can say "10500 of 10000 tokens used" without every caller formatting it.
   */
  readonly message: string
  /** What an operator should do about it; rendered into docs/errors.md, never sent to clients. */
  readonly hint: string
  /**
   * Whether repeating the identical request can succeed. Sent as `x-should-retry`, which the
   * official OpenAI SDKs honour, so they stop burning retries on e.g. a revoked provider key.
   */
  readonly retryable: boolean
}
