import { adminErrors } from './codes/admin.js'
import { authErrors } from './codes/auth.js'
import { providerErrors } from './codes/provider.js'
import { requestErrors } from './codes/request.js'
import { serviceErrors } from './codes/service.js'
import { throttlingErrors } from './codes/throttling.js'
import type { ErrorSpec } from './types.js'

const groups: Array<[string, Record<string, ErrorSpec>]> = [
  ['Authentication and permissions', authErrors],
  ['Request', requestErrors],
  ['Throttling and quotas', throttlingErrors],
  ['Provider (upstream)', providerErrors],
  ['Switchyard and its dependencies', serviceErrors],
  ['Admin API and CLI', adminErrors]
]

const cell = (s: string) => s.replaceAll('|', '\\|')

/** Renders docs/errors.md. A test fails when the committed file drifts from the catalogue. */
export function renderErrorsDoc (): string {
  const out = [
    '# Error codes',
    '',
    '<!-- Generated from packages/errors by `pnpm --filter @switchyard/errors docs`. Do not edit. -->',
    '',
    'Every error any Switchyard service returns has this OpenAI-compatible shape, with a stable `code`:',
    '',
    '```json',
    '{ "error": { "message": "…", "type": "rate_limit_error", "code": "QUOTA_EXCEEDED", "param": null,',
    '             "details": { "used": 10500, "limit": 10000 }, "request_id": "req_…" } }',
    '```',
    '',
    'Responses also carry `x-request-id` and `x-should-retry` (honoured by the official OpenAI SDKs).',
    'Codes are append-only: never renamed or reused.',
    ''
  ]
  for (const [title, specs] of groups) {
    out.push(`## ${title}`, '', '| code | status | type | retry | message | what to do |', '| --- | --- | --- | --- | --- | --- |')
    for (const [code, s] of Object.entries(specs)) {
      out.push(`| \`${code}\` | ${s.status} | ${s.type} | ${s.retryable ? 'yes' : 'no'} | ${cell(s.message)} | ${cell(s.hint)} |`)
    }
    out.push('')
  }
  return out.join('\n')
}
