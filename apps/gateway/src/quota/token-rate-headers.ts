import type { FastifyReply } from 'fastify'
import { minuteWindow } from './period.js'

/** OpenAI's token-rate headers on an admitted request of a key with a tokens-per-minute limit (`used`: the minute's counter). */
export function setTokenRateHeaders (reply: FastifyReply, limit: number | null, used: number, now: number): void {
  if (limit === null) return
  reply.header('x-ratelimit-limit-tokens', limit)
  reply.header('x-ratelimit-remaining-tokens', Math.max(0, limit - used))
  reply.header('x-ratelimit-reset-tokens', `${Math.ceil(minuteWindow(now).remainingMs / 1000)}s`)
}
