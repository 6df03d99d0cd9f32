import type { Deployment, RoutingTable } from './routing-table.js'

/**
 * The deployments that may serve `alias`, in order of preference, or undefined for a model the
 * table does not serve. Callers use the first today; retries and fallbacks (a later issue) walk
 * the rest of this list.
 */
export function resolveDeployments (table: RoutingTable, alias: string): readonly Deployment[] | undefined {
  return table.models.get(alias)
}
