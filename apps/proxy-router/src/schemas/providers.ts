import { Type, type Static } from '@sinclair/typebox'

// GET /internal/providers: the contract health and support bundles read (docs/adr/0025). Times
// are ISO 8601; every message is ours and sanitised (no key, no URL credentials).

const Iso = Type.String({ format: 'date-time' })
const Failure = Type.Object({ code: Type.String(), message: Type.String() })

export const ProviderStatusSchema = Type.Object({
  id: Type.String(),
  /** The routing table's `type` (openai, anthropic, ...). */
  kind: Type.String(),
  /** Marked `optional` in the routing table: the system is healthy without it. */
  optional: Type.Boolean(),
  probe: Type.Object({
    state: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('unknown')]),
    checkedAt: Type.Union([Iso, Type.Null()]),
    latencyMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    /** When the provider entered its current probe state. */
    since: Type.Union([Iso, Type.Null()]),
    error: Type.Union([Failure, Type.Null()])
  }),
  /** Real traffic over the last 5 minutes: attempts (retries and fallbacks included). */
  traffic: Type.Object({
    requests: Type.Integer({ minimum: 0 }),
    failures: Type.Integer({ minimum: 0 }),
    errorRate: Type.Number({ minimum: 0, maximum: 1 }),
    lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), at: Iso }), Type.Null()])
  }),
  deployments: Type.Array(Type.Object({
    /** `provider/model` */
    id: Type.String(),
    model: Type.String(),
    coolingDownUntil: Type.Union([Iso, Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()])
  }))
})

export const ErrorGroupSchema = Type.Object({
  code: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  count: Type.Integer({ minimum: 1 }),
  firstSeen: Iso,
  lastSeen: Iso,
  message: Type.String()
})

export const ProviderListSchema = Type.Object({
  providers: Type.Array(ProviderStatusSchema),
  /** Recent upstream failures grouped by code and provider, most recently seen first. */
  errorGroups: Type.Array(ErrorGroupSchema)
}, { $id: 'ProviderList' })

export type ProviderStatus = Static<typeof ProviderStatusSchema>
export type ProviderList = Static<typeof ProviderListSchema>
