import type { Readable, Writable } from 'node:stream'

// stream.pipeline() does what this does, and more: it also makes an AbortController per call and
// aborts it when the pipe finishes, which builds a DOMException with a stack trace for every
// stream served (4–5 % of the router's and the gateway's CPU per streamed request in a profile).
// A stream pipe needs only the pipe and the two failure directions, written out here (the
// router pipes a provider's body into its stream transform with it).

/** An error like pipeline()'s when `src` closed without ending or failing. */
const prematureClose = (): Error => Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })

/**
 * Pipes `src` into `dst` (backpressure included) and wires failures both ways, as
 * stream.pipeline(src, dst) would: `src` failing or closing before its end destroys `dst` with
 * an error; `dst` closing first (the client left) destroys `src`. Errors are handled here: the
 * streams' own owners report them. Returns `dst`.
 */
export function pipeStreams<T extends Writable> (src: Readable, dst: T): T {
  src.on('error', (err) => { dst.destroy(err) })
  src.on('close', () => { if (!src.readableEnded && !dst.destroyed) dst.destroy(prematureClose()) })
  dst.on('error', () => {})
  dst.on('close', () => { if (!src.destroyed) src.destroy() })
  src.pipe(dst)
  return dst
}
