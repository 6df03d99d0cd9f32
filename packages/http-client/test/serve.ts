import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Pool } from 'undici'
import { afterEach } from 'vitest'

// A throwaway HTTP server on port 0 and a pool to it, both torn down after each test.

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

const open: Array<{ server: Server, pool: Pool }> = []

export async function serve (handler: Handler, poolOptions: Pool.Options = {}): Promise<{ pool: Pool, server: Server }> {
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4, ...poolOptions })
  open.push({ server, pool })
  return { pool, server }
}

afterEach(async () => {
  for (const { server, pool } of open.splice(0)) {
    await pool.destroy()
    server.closeAllConnections()
    server.close()
  }
})

export const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text
}
