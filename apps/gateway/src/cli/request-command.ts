import { toRequestTraceView, type RequestTraceView } from '../routes/v1/requests-schema.js'
import { findRequestTrace } from '../usage/request-traces.js'
import { CliError, type Command } from './commands.js'
import { table } from './output.js'

// `switchyard request <id>`: a request's trace, read from the database (DATABASE_URL is the
// operator's authority, as for the admin commands). Same JSON as GET /v1/requests/{id} with --json.

const idPattern = /^[A-Za-z0-9._:#-]{1,160}$/

function text (t: RequestTraceView): string {
  const lines = [
    `${t.id}  ${t.status}${t.code === null ? '' : ` ${t.code}`}  ${t.endpoint} ${t.model}${t.streamed ? ' (stream)' : ''}`,
    `created ${t.created_at}  duration ${t.duration_ms} ms  ttfb ${t.ttfb_ms === null ? '-' : `${t.ttfb_ms} ms`}` +
      (t.correlation_id === null ? '' : `  correlation ${t.correlation_id}`),
    `tokens ${t.usage.prompt_tokens} + ${t.usage.completion_tokens} = ${t.usage.total_tokens}${t.usage.estimated ? ' (estimated)' : ''}`,
    ''
  ]
  if (t.attempts === null) return [...lines, 'attempts: no longer kept (TRACE_RETENTION_DAYS) or never recorded'].join('\n')
  return [...lines, table(t.attempts.map((a) => ({
    deployment: a.deployment,
    provider: a.provider ?? '',
    outcome: a.outcome ?? '',
    status: a.upstream_status === null ? '-' : String(a.upstream_status),
    code: a.code ?? '',
    ms: a.duration_ms === null ? '' : String(a.duration_ms)
  })))].join('\n')
}

export const requestCommand: Command = {
  name: 'request',
  args: '<request id>',
  summary: 'Show one request: status, timings, usage and every attempt the router made',
  options: {},
  run: async (ctx) => {
    const [id, ...rest] = ctx.positionals
    if (id === undefined) throw new CliError('missing request id')
    if (rest.length > 0) throw new CliError(`unexpected argument "${rest[0]!.slice(0, 80)}"`)
    if (!idPattern.test(id)) throw new CliError('not a request id (letters, digits and . _ : # - only, at most 160)')
    const trace = await findRequestTrace(ctx.db, id)
    if (trace === undefined) throw new CliError(`no request "${id}" (still queued in a gateway's usage batch for a second at most, or unknown)`)
    const view = toRequestTraceView(trace)
    ctx.print(view, () => text(view))
  }
}
