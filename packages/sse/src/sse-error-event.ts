import { toErrorEnvelope, type SwitchyardError } from '@switchyard/errors'

/**
 * One SSE event carrying the standard error envelope: `data: {"error":{...}}`. The OpenAI SDKs
 * raise an APIError when a stream event has an `error` field; the gateway's usage tap records
 * its code.
 */
export function sseErrorEvent (err: SwitchyardError, requestId: string): string {
  return `data: ${JSON.stringify(toErrorEnvelope(err, requestId))}\n\n`
}
