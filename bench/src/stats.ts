export function percentile (values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN
}

export interface Spread { median: number, min: number, max: number }

/** Median and range over repetitions: the figure and how much it moved. */
export function spread (values: number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v))
  return { median: percentile(finite, 0.5), min: Math.min(...finite), max: Math.max(...finite) }
}
