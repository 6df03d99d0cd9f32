import { connect, createServer, type Socket } from 'node:net'

export interface TcpProxy {
  /** Port on 127.0.0.1 that forwards to the target. */
  port: number
  /** Connections accepted so far. */
  readonly connections: number
  /** Connections the client side has closed (FIN or destroy) so far. */
  readonly closedByClient: number
  /** Bytes the clients have sent towards the server so far (how much work they asked of it). */
  readonly bytesToServer: number
  /**
   * From now on, bytes are held in both directions on every connection, open or new, while the
   * sockets stay open: a server that stops answering mid-life (no RST, no FIN, no data).
   */
  stall: () => void
  /** Delivers what was held and forwards again. */
  resume: () => void
  close: () => Promise<void>
}

interface Pipe { from: Socket, to: Socket, held: Buffer[], toServer: boolean }

/**
 * A TCP proxy the test controls, in front of a real server (e.g. the shared Postgres), for
 * dependencies that go silent on already-open connections. Never stops the real server.
 */
export async function startTcpProxy (target: { host: string, port: number }): Promise<TcpProxy> {
  let stalled = false
  let connections = 0
  let closedByClient = 0
  let bytesToServer = 0
  const pipes: Pipe[] = []
  const sockets = new Set<Socket>()
  const forward = (pipe: Pipe): void => {
    pipe.from.on('data', (chunk: Buffer) => {
      if (pipe.toServer) bytesToServer += chunk.length
      if (stalled) pipe.held.push(chunk)
      else pipe.to.write(chunk)
    })
  }
  const server = createServer((client) => {
    connections++
    const upstream = connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => sockets.delete(s))
    }
    let counted = false
    const clientGone = (): void => {
      if (!counted) { counted = true; closedByClient++ }
      upstream.end()
    }
    client.on('end', clientGone)
    client.on('close', clientGone)
    upstream.on('close', () => client.destroy())
    const up: Pipe = { from: client, to: upstream, held: [], toServer: true }
    const down: Pipe = { from: upstream, to: client, held: [], toServer: false }
    pipes.push(up, down)
    forward(up)
    forward(down)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  return {
    port: address.port,
    get connections () { return connections },
    get closedByClient () { return closedByClient },
    get bytesToServer () { return bytesToServer },
    stall: () => { stalled = true },
    resume: () => {
      stalled = false
      for (const pipe of pipes) {
        for (const chunk of pipe.held.splice(0)) if (!pipe.to.destroyed) pipe.to.write(chunk)
      }
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
