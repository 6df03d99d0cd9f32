import { createHash } from 'node:crypto'

/** Dimensions of a mock embedding unless the request asks for `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 8

/**
 * A deterministic unit-length vector for `input`: SHA-256 of `<block>:<input>` supplies 8 values
 * per block, mapped to [-1, 1], then normalised like OpenAI's embeddings. Same input, same vector;
 * different inputs, (practically) different vectors.
 */
export function embedText (input: string, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const values: number[] = []
  for (let block = 0; values.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${input}`).digest()
    for (let offset = 0; offset < digest.length && values.length < dimensions; offset += 4) {
      values.push(digest.readUInt32BE(offset) / 0xffffffff * 2 - 1)
    }
  }
  const norm = Math.hypot(...values) || 1
  return values.map((v) => v / norm)
}

/** `encoding_format: 'base64'`: little-endian float32s, base64 (what the OpenAI SDKs request by default). */
export function toBase64Floats (vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64')
}
