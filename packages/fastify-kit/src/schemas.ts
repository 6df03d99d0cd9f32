import { Type, type Static } from '@sinclair/typebox'

/** The OpenAI-compatible error body (see @switchyard/errors), for route `response` schemas. */
export const ErrorEnvelopeSchema = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    code: Type.String(),
    param: Type.Union([Type.String(), Type.Null()]),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    request_id: Type.String()
  })
}, { $id: 'ErrorEnvelope' })

export type ErrorEnvelopeBody = Static<typeof ErrorEnvelopeSchema>
