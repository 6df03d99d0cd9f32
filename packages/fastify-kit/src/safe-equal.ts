import { timingSafeEqual } from 'node:crypto'

/** Constant-time comparison for shared secrets (admin and internal tokens). */
export function safeEqual (a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}
