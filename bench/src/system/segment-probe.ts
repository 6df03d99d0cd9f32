// Preloaded into each server by `stream-ab.ts` with SEGMENTS=1 (`node --import <this file>`):
// splits every request this process serves into the time before it calls its upstream, the wait
// for the upstream's response headers, and the time from those headers to its own first write to
// the client, from Node's and undici's diagnostics channels, so the services are measured
// unchanged and FLOOR2's hops the same way. A server with no upstream (the mock) reports the time
// to its first write only. On SIGWINCH it writes the medians since the last signal to
// BENCH_SEGMENTS_FILE (JSON) and starts again (not SIGUSR2: the services shut down on it, through
// close-with-grace; SIGWINCH is ignored by a process without this probe). Erasable TypeScript only: Node 24 runs it without a build.
import { AsyncLocalStorage } from 'node:async_hooks'
import { subscribe } from 'node:diagnostics_channel'
import { writeFileSync } from 'node:fs'
import { ServerResponse } from 'node:http'

/** What the probe writes on SIGWINCH: µs medians since the last signal (null: no request had it). */
export interface Segments {
  requests: number
  /** Of those, requests whose upstream call was seen from sending to its headers: the ones pre, wait and post are of. */
  linked: number
  preUs: number | null
  waitUs: number | null
  postUs: number | null
  firstWriteUs: number | null
}

/** One request served: performance.now() stamps, undefined until the moment came. */
interface Served {
  start: number
  upstreamSent: number | undefined
  upstreamHeaders: number | undefined
  firstWrite: number | undefined
}

const file = process.env['BENCH_SEGMENTS_FILE']

if (file !== undefined && file !== '') {
  const current = new AsyncLocalStorage<Served>()
  const byResponse = new WeakMap<object, Served>()
  const byUpstream = new WeakMap<object, Served>()
  const done: Served[] = []

  subscribe('http.server.request.start', (message) => {
    const served: Served = { start: performance.now(), upstreamSent: undefined, upstreamHeaders: undefined, firstWrite: undefined }
    byResponse.set((message as { response: object }).response, served)
    // Published synchronously just before the server's 'request' event: everything the request's
    // handling does from here, an upstream call included, runs in this store. Node 24's
    // AsyncLocalStorage (AsyncContextFrame) ends it with the callback that published the message,
    // so the next request on the same keep-alive socket does not inherit it.
    current.enterWith(served)
  })
  subscribe('undici:request:create', (message) => {
    const served = current.getStore()
    // Only a call made before the answer started is this request's upstream call: one made later
    // in the same context (after the first write) would give it a negative post.
    if (served !== undefined && served.firstWrite === undefined) byUpstream.set((message as { request: object }).request, served)
  })
  subscribe('undici:client:sendHeaders', (message) => {
    const served = byUpstream.get((message as { request: object }).request)
    if (served !== undefined) served.upstreamSent ??= performance.now()
  })
  subscribe('undici:request:headers', (message) => {
    const served = byUpstream.get((message as { request: object }).request)
    if (served !== undefined) served.upstreamHeaders ??= performance.now()
  })

  // The first body bytes of a response leave with its first write or with end() for a body sent
  // whole; its headers usually go with them (the mock flushes its own earlier, in the same tick).
  // The first write is what a client's time to first byte waits for.
  const noteWrite = (res: object): void => {
    const served = byResponse.get(res)
    if (served === undefined || served.firstWrite !== undefined) return
    served.firstWrite = performance.now()
    done.push(served)
  }
  const write = ServerResponse.prototype.write
  const end = ServerResponse.prototype.end
  ServerResponse.prototype.write = function (this: ServerResponse, ...args: unknown[]) {
    noteWrite(this)
    return (write as (...a: unknown[]) => boolean).apply(this, args)
  } as typeof write
  ServerResponse.prototype.end = function (this: ServerResponse, ...args: unknown[]) {
    noteWrite(this)
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args)
  } as typeof end

  /**
   * The lower middle value, as the bench's percentile(values, 0.5) takes it, in µs. Not imported
   * from stats.ts: plain node runs this file, and it cannot resolve the bench's `.js` specifiers.
   */
  const median = (values: number[]): number | null => {
    if (values.length === 0) return null
    const sorted = [...values].sort((a, b) => a - b)
    return Math.round(sorted[Math.ceil(sorted.length / 2) - 1]! * 1000)
  }
  process.on('SIGWINCH', () => {
    const upstream = done.filter((s) => s.upstreamSent !== undefined && s.upstreamHeaders !== undefined)
    const segments: Segments = {
      requests: done.length,
      linked: upstream.length,
      preUs: median(upstream.map((s) => s.upstreamSent! - s.start)),
      waitUs: median(upstream.map((s) => s.upstreamHeaders! - s.upstreamSent!)),
      postUs: median(upstream.map((s) => s.firstWrite! - s.upstreamHeaders!)),
      firstWriteUs: median(done.map((s) => s.firstWrite! - s.start))
    }
    writeFileSync(file, JSON.stringify(segments))
    done.length = 0
  })
}
