import type { TokenUsage } from './usage-parser.js'

const maxInt32 = 2 ** 31 - 1

/**
 * Reads the router's `x-switchyard-usage: <prompt> <completion> <total>` (a part it could not
 * read is "-"). Undefined when absent or malformed: the caller then reads the usage from the
 * body, as it would from an older router. Same rules as parseUsage: non-negative integers,
 * capped to what the columns hold; all three absent means no usage reported.
 */
export function usageOfHeader (value: string | string[] | undefined): TokenUsage | undefined {
  if (typeof value !== 'string') return undefined
  const parts = value.split(' ')
  if (parts.length !== 3) return undefined
  const nums: Array<number | undefined> = []
  for (const part of parts) {
    if (part === '-') { nums.push(undefined); continue }
    if (!/^\d{1,15}$/.test(part)) return undefined
    nums.push(Math.min(Number(part), maxInt32))
  }
  const [prompt, completion, total] = nums
  if (prompt === undefined && completion === undefined && total === undefined) return undefined
  const p = prompt ?? 0
  const c = completion ?? 0
  return { promptTokens: p, completionTokens: c, totalTokens: total ?? Math.min(p + c, maxInt32) }
}
