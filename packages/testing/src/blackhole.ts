import { createServer, type Socket } from 'node:net'

export interface Blackhole {
  url: string
  port: number
  /** Connections accepted so far: proves how many attempts a caller made. */
  readonly connections: number
  close: () => Promise<void>
}

/**
 * A TCP port that accepts connections and never answers: the worst kind of dead dependency
 * (no RST, no data), which only a real timeout gets past.
 */
export async function startBlackhole (): Promise<Blackhole> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('blackhole has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    get connections () { return connections },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
