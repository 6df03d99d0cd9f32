/** Wraps an async teardown so a second call returns the first call's promise (idempotent close). */
export function once (fn: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined
  return async () => {
    pending ??= fn()
    return await pending
  }
}
