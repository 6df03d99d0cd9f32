import { createServer, type AddressInfo } from 'node:net'

/** The part of a Fastify instance `listenOnLoopback` needs (keeps this package free of fastify). */
export interface Listenable {
  listen: (opts: { host: string, port: number }) => Promise<string>
  server: { address: () => AddressInfo | string | null }
}

/** Listens on 127.0.0.1, port 0, and returns the base URL (`http://127.0.0.1:PORT`). */
export async function listenOnLoopback (app: Listenable): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('server has no TCP port')
  return `http://127.0.0.1:${address.port}`
}

/** A port nothing listens on (bound, then released): connections to it are refused. */
export async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
