// Client-controlled strings (model names, correlation ids, error codes echoed from upstream) end
// up in usage_events and in log lines. Postgres refuses NUL in text (the whole batch insert would
// fail), control characters forge log lines, lone surrogates are not valid UTF-8, and a 200 KB
// string makes a 200 KB row. Everything written anywhere passes through here first.

// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f]/g
const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Longest stored value of each kind (characters). */
export const maxLengths = {
  model: 256,
  correlationId: 128,
  errorCode: 64,
  provider: 128,
  deployment: 256
} as const

/**
 * Returns `value` with control characters and lone surrogates replaced by U+FFFD and the length
 * capped at `max` (an ellipsis marks a cut). The common case — short, plain text — is one regex
 * test and returns the same string.
 */
export function sanitizeText (value: string, max: number): string {
  let s = value
  if (s.length > max) s = s.slice(0, max - 1) + '…'
  // A cut may split a surrogate pair: the check below repairs that too.
  if (unsafe.test(s)) s = s.replace(controls, '\ufffd').replace(loneSurrogates, '\ufffd')
  return s
}

/** sanitizeText for optional values; anything but a non-empty string becomes null. */
export function sanitizeOptional (value: unknown, max: number): string | null {
  return typeof value === 'string' && value !== '' ? sanitizeText(value, max) : null
}
