// FLOOR2's hop: the least a Node pass-through hop can do — Fastify parses the JSON body, undici
// forwards it over a keep-alive pool, the answer streams back untouched. Two of these in a row are
// the architecture's floor (gateway → router with no features). Started as its own process with
// plain `node` (Node 24 strips the types), so it must use erasable TypeScript only.
import Fastify from 'fastify'
import { Pool } from 'undici'

const target = new URL(process.env['HOP_TARGET'] ?? '')
const pool = new Pool(target.origin, { connections: 512, keepAliveTimeout: 30_000 })
const app = Fastify({ logger: false, keepAliveTimeout: 65_000 })

app.post('/v1/chat/completions', async (request, reply) => {
  const res = await pool.request({
    method: 'POST',
    path: `${target.pathname}/chat/completions`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request.body)
  })
  const type = res.headers['content-type']
  if (typeof type === 'string') reply.header('content-type', type)
  return reply.code(res.statusCode).send(res.body)
})

app.addHook('onClose', async () => { await pool.close() })
await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT']) })
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
