import type { FastifyReply } from 'fastify'

/**
 * An AbortSignal that fires when the client goes away before the response has finished, for
 * passing to upstream calls so a closed client stops the work behind it.
 *
 * Not `request.signal`: on Node 20 and 24 (docs/adr/0006) Fastify ties that to the IncomingMessage 'close' event, which
 * fires as soon as a POST body has been read, so it reports "aborted" while the client is still
 * waiting. The response's 'close' before 'finish' is the reliable "client disconnected" signal.
 */
export function clientAbortSignal (reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  const res = reply.raw
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'))
  })
  return controller.signal
}
