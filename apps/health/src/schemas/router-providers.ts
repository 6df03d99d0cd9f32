import { Type, type Static } from '@sinclair/typebox'

// What the proxy-router's GET /internal/providers answers (apps/proxy-router/src/schemas/
// providers.ts; docs/adr/0025). Checked on arrival: a router of another version that answers
// something else is reported, not trusted.

const Iso = Type.String()
const Failure = Type.Object({ code: Type.String(), message: Type.String() })

export const RouterProviderSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  optional: Type.Boolean(),
  probe: Type.Object({
    state: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('unknown')]),
    checkedAt: Type.Union([Iso, Type.Null()]),
    latencyMs: Type.Union([Type.Number(), Type.Null()]),
    since: Type.Union([Iso, Type.Null()]),
    error: Type.Union([Failure, Type.Null()])
  }),
  traffic: Type.Object({
    requests: Type.Number(),
    failures: Type.Number(),
    errorRate: Type.Number(),
    lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), at: Iso }), Type.Null()])
  }),
  deployments: Type.Array(Type.Object({
    id: Type.String(),
    model: Type.String(),
    coolingDownUntil: Type.Union([Iso, Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()])
  }))
})

export const RouterErrorGroupSchema = Type.Object({
  code: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  count: Type.Number(),
  firstSeen: Iso,
  lastSeen: Iso,
  message: Type.String()
})

export const RouterProviderListSchema = Type.Object({
  providers: Type.Array(RouterProviderSchema),
  errorGroups: Type.Array(RouterErrorGroupSchema)
})

export type RouterProvider = Static<typeof RouterProviderSchema>
export type RouterErrorGroup = Static<typeof RouterErrorGroupSchema>
export type RouterProviderList = Static<typeof RouterProviderListSchema>
