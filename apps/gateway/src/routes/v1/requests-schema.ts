import { Type, type Static } from '@sinclair/typebox'
import type { RequestTrace } from '../../usage/request-traces.js'

// The shape of GET /v1/requests/{id}: snake_case like the rest of the public API.

export const RequestIdParamsSchema = Type.Object({
  // Gateway ids are req_ + 32 hex; older rows may hold a client's id (suffixed #n when it was
  // reused). Anything else (control characters, quotes, megabytes) is refused by validation.
  id: Type.String({ minLength: 1, maxLength: 160, pattern: '^[A-Za-z0-9._:#-]+$', description: 'The request id: the x-request-id header of the answer, or request_id of an error body.' })
})

const AttemptSchema = Type.Object({
  deployment: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('served'), Type.Literal('failed'), Type.Literal('skipped_cooling_down'), Type.Null()], { description: 'skipped_cooling_down: not called, the deployment was cooling down after recent failures.' }),
  upstream_status: Type.Union([Type.Integer(), Type.Null()], { description: 'The provider\'s HTTP status; null for a transport failure (timeout, refused connection) or a skipped deployment.' }),
  code: Type.Union([Type.String(), Type.Null()], { description: 'The catalogue code the attempt\'s failure was classified as (docs/errors.md); null when it served.' }),
  duration_ms: Type.Union([Type.Integer(), Type.Null()])
})

export const RequestTraceSchema = Type.Object({
  object: Type.Literal('request'),
  id: Type.String(),
  status: Type.Integer({ description: 'The HTTP status the client was answered with (499: the client left first).' }),
  code: Type.Union([Type.String(), Type.Null()], { description: 'The catalogue code of the failure; null on success.' }),
  model: Type.String(),
  endpoint: Type.String(),
  streamed: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  duration_ms: Type.Integer({ description: 'From reaching the router to the end of the answer.' }),
  ttfb_ms: Type.Union([Type.Integer(), Type.Null()], { description: 'Until the first byte of the answer went to the client; null if none did.' }),
  correlation_id: Type.Union([Type.String(), Type.Null()], { description: 'The client\'s own x-request-id, if it sent one.' }),
  provider: Type.Union([Type.String(), Type.Null()]),
  deployment: Type.Union([Type.String(), Type.Null()]),
  usage: Type.Object({
    prompt_tokens: Type.Integer(),
    completion_tokens: Type.Integer(),
    total_tokens: Type.Integer(),
    estimated: Type.Boolean({ description: 'True when the provider reported no usage and the tokens were estimated.' })
  }),
  attempts: Type.Union([Type.Array(AttemptSchema), Type.Null()], { description: 'Every attempt the router made, in order. null once the trace is older than the retention (TRACE_RETENTION_DAYS) or when the request never reached a provider.' })
})

export type RequestTraceView = Static<typeof RequestTraceSchema>

export function toRequestTraceView (t: RequestTrace): RequestTraceView {
  return {
    object: 'request',
    id: t.requestId,
    status: t.statusCode,
    code: t.errorCode,
    model: t.model,
    endpoint: t.endpoint,
    streamed: t.streamed,
    created_at: t.createdAt.toISOString(),
    duration_ms: t.durationMs,
    ttfb_ms: t.ttfbMs,
    correlation_id: t.correlationId,
    provider: t.provider,
    deployment: t.deployment,
    usage: { prompt_tokens: t.promptTokens, completion_tokens: t.completionTokens, total_tokens: t.totalTokens, estimated: t.estimated },
    attempts: t.attempts === null
      ? null
      : t.attempts.map((a) => ({
        deployment: a.deployment,
        provider: a.provider ?? null,
        outcome: a.outcome ?? null,
        upstream_status: a.upstreamStatus ?? null,
        code: a.code ?? null,
        duration_ms: a.durationMs ?? null
      }))
  }
}
