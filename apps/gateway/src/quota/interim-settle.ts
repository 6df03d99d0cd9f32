import type { FastifyInstance } from 'fastify'

/**
 * INTERIM — remove when usage accounting settles reservations itself (the `settle(usedTokens)`
 * call of quota/reservation.ts, wired by the usage work of issue 6). Until then every reservation
 * is settled from the one place that already knows each request's real usage, the usage
 * recorder, so streamed, failed and abandoned requests settle too; a request that never records
 * usage (an unexpected error) is settled a second after its response: to 0 when it failed, to
 * its reservation otherwise.
 */
export function installInterimSettlement (app: FastifyInstance): void {
  const record = app.usage.record
  app.usage.record = (event) => {
    app.quota.open.get(event.requestId)?.settle(event.totalTokens ?? 0)
    record(event)
  }
  app.addHook('onResponse', async (request, reply) => {
    const reservation = request.quotaReservation
    if (reservation === null) return
    setTimeout(() => reservation.settle(reply.statusCode >= 400 ? 0 : reservation.reservedTokens), 1000).unref()
  })
}
