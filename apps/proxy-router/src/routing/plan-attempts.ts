import type { RoutedDeployment } from './routing-table.js'

// Which deployments a request tries, in which order. Pure: the cooldown check and the random
// source are passed in, so the order is testable.

export interface PlanOptions {
  /** True while a deployment is cooling down (skipped unless every deployment is). */
  isCoolingDown: (id: string) => boolean
  /** [0, 1) — Math.random in production. */
  random: () => number
}

/**
 * Orders one priority group by weight: a weighted draw without replacement, so a deployment
 * with weight 3 comes first three times as often as one with weight 1, and the others still
 * follow as fallbacks.
 */
function weightedOrder (group: readonly RoutedDeployment[], random: () => number): RoutedDeployment[] {
  const left = [...group]
  const ordered: RoutedDeployment[] = []
  while (left.length > 0) {
    const total = left.reduce((sum, d) => sum + d.weight, 0)
    let point = random() * total
    let index = left.length - 1
    for (let i = 0; i < left.length; i++) {
      point -= left[i]!.weight
      if (point < 0) { index = i; break }
    }
    ordered.push(...left.splice(index, 1))
  }
  return ordered
}

/**
 * The deployments of an alias in the order to try them: ascending priority (the list order by
 * default), weights choosing the order within a priority, deployments in cooldown left out.
 * When every deployment is cooling down they are all tried anyway, in the same order: a
 * cooldown avoids wasting attempts, it must never turn a model that might answer into a
 * certain failure.
 */
export function planAttempts (deployments: readonly RoutedDeployment[], opts: PlanOptions): RoutedDeployment[] {
  // Most aliases have one deployment: it is the plan whether or not it cools down (all do then).
  // Not worth a Map, a sort and a draw on every request.
  if (deployments.length === 1) return [deployments[0] as RoutedDeployment]
  const available = deployments.filter((d) => !opts.isCoolingDown(d.id))
  const candidates = available.length > 0 ? available : deployments
  const byPriority = new Map<number, RoutedDeployment[]>()
  for (const d of candidates) {
    const group = byPriority.get(d.priority)
    if (group === undefined) byPriority.set(d.priority, [d])
    else group.push(d)
  }
  return [...byPriority.keys()].sort((a, b) => a - b)
    .flatMap((priority) => weightedOrder(byPriority.get(priority) ?? [], opts.random))
}
