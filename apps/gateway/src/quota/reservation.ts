/**
 * The contract between token quotas (this folder) and usage accounting (../usage): before a
 * request is forwarded, the quota plugin reserves an estimate of its tokens in every bucket that
 * applies and leaves the reservation on the request; when the answer is over — completed, failed,
 * cut off or abandoned — accounting settles it to the real usage exactly once.
 */
export interface QuotaReservation {
  /** Tokens reserved across the buckets (for logs and tests). */
  readonly reservedTokens: number
  /**
   * Replaces the reservation with what was really used. Idempotent: only the first call counts.
   * Never throws and never waits on the caller: settlement failures are logged and counted.
   */
  settle: (usedTokens: number) => void
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the quota hook before forwarding; null when no token limit applies to the key. */
    quotaReservation: QuotaReservation | null
  }
}
