import { Type, type Static } from '@sinclair/typebox'

export const CheckReportSchema = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Integer({ minimum: 0 }),
  /** Why the check is down; short, never a URL or secret. */
  error: Type.Optional(Type.String()),
  /** Only on `database`: reached directly (postgres) or through the gateway (embedded PGlite). */
  kind: Type.Optional(Type.Union([Type.Literal('postgres'), Type.Literal('embedded')]))
})

const checks = Type.Record(Type.String(), CheckReportSchema)

/** 200: every check is ok. */
export const HealthOkSchema = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  checks
})

/** 503: at least one check is down. */
export const HealthDegradedSchema = Type.Object({
  status: Type.Literal('degraded'),
  version: Type.String(),
  checks
})

export type HealthReport = Static<typeof HealthOkSchema> | Static<typeof HealthDegradedSchema>
