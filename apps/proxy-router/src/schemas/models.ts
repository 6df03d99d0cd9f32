import { Type, type Static } from '@sinclair/typebox'

/** GET /v1/models in OpenAI's list shape: one entry per routing-table alias. */
export const ModelListSchema = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(Type.Object({
    id: Type.String(),
    object: Type.Literal('model'),
    /** Unix seconds at which this router booted (the table is loaded once, at boot). */
    created: Type.Integer(),
    /** Provider id of the alias's first deployment. */
    owned_by: Type.String()
  }))
}, { $id: 'ModelList' })

export type ModelList = Static<typeof ModelListSchema>
