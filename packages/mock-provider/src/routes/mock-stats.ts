import type { FastifyPluginAsync } from 'fastify'
import type { RouteOptions } from './context.js'

/** What `GET /__mock/stats` answers: the counters of a mock in another process. */
export interface MockStatsBody {
  requests: number
  connections: number
  openConnections: number
  peakOpenConnections: number
}

/**
 * `GET /__mock/stats` (counters since start) and `POST /__mock/stats/reset-peak` (the peak of
 * open connections starts again from those open now): how a bench reads a separate-process
 * mock's connection counts. Registered only with `directives: true`.
 */
export const mockStatsRoute: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get('/stats', async (): Promise<MockStatsBody> => ({ ...ctx.state.stats, ...ctx.state.connectionLoad }))
  app.post('/stats/reset-peak', async (): Promise<MockStatsBody> => {
    ctx.state.resetPeakConnections()
    return { ...ctx.state.stats, ...ctx.state.connectionLoad }
  })
}
