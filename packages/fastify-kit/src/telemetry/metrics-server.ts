import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { Registry } from 'prom-client'

/**
 * `GET /metrics` on a port of its own (METRICS_PORT), which the public load balancer never
 * forwards: scrapers reach it inside the network, clients never do. A plain node:http server so a
 * scrape costs no Fastify hooks and never shows up in the request metrics it reports.
 */
export async function startMetricsServer (registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && !(req.url ?? '').startsWith('/metrics?'))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType }).end(text)
    }, (err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : 'unknown'}\n`)
    })
  })
  server.keepAliveTimeout = 65_000
  server.listen(port, host)
  await once(server, 'listening')
  return server
}
