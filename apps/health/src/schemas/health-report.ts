import { Type, type Static } from '@sinclair/typebox'

export const CheckReportSchema = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Integer({ minimum: 0 }),
  /** Why the check is down; short, never a URL or secret. */
  error: Type.Optional(Type.String()),
  /** Only on `database`: reached directly (postgres) or through the gateway (embedded PGlite). */
  kind: Type.Optional(Type.Union([Type.Literal('postgres'), Type.Literal('embedded')]))
})

const Failure = Type.Object({ code: Type.String(), message: Type.String() })
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

/** One provider as the router last probed it, with what real traffic saw (docs/adr/0025). */
export const ProviderReportSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  optional: Type.Boolean(),
  state: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('unknown')]),
  reachable: Type.Boolean(),
  latencyMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  checkedAt: Nullable(Type.String()),
  since: Nullable(Type.String()),
  error: Type.Union([Failure, Type.Null()]),
  requests: Type.Integer({ minimum: 0 }),
  failures: Type.Integer({ minimum: 0 }),
  errorRate: Type.Number({ minimum: 0, maximum: 1 }),
  lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), at: Type.String() }), Type.Null()]),
  cooldowns: Type.Array(Type.Object({ deployment: Type.String(), until: Nullable(Type.String()), reason: Nullable(Type.String()) }))
})

/**
 * GET /v1/health. `status`: healthy and degraded answer 200 (keep sending traffic), unhealthy 503
 * (docs/adr/0025 lists what is critical). `checks` are the critical dependencies; `providers`
 * come from the router's GET /internal/providers, whose own fetch is `providerStatus`.
 */
export const HealthReportSchema = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  reasons: Type.Array(Type.String()),
  version: Type.String(),
  checks: Type.Record(Type.String(), CheckReportSchema),
  providerStatus: CheckReportSchema,
  providers: Type.Array(ProviderReportSchema)
})

export type HealthReport = Static<typeof HealthReportSchema>
