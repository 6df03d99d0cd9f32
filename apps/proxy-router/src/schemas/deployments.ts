import { Type, type Static } from '@sinclair/typebox'

/** GET /internal/deployments: the cooldown state of every deployment. */
export const DeploymentListSchema = Type.Object({
  deployments: Type.Array(Type.Object({
    /** `provider/model` */
    id: Type.String(),
    /** The aliases this deployment serves. */
    models: Type.Array(Type.String()),
    state: Type.Union([Type.Literal('available'), Type.Literal('cooling_down')]),
    /** Failures counted in the current cooldown window. */
    recentFailures: Type.Integer(),
    /** When the cooldown ends (cooling_down only). */
    until: Type.Optional(Type.String({ format: 'date-time' })),
    reason: Type.Optional(Type.Union([Type.Literal('repeated_failures'), Type.Literal('rate_limited'), Type.Literal('auth_failed')]))
  }))
}, { $id: 'DeploymentList' })

export type DeploymentList = Static<typeof DeploymentListSchema>
