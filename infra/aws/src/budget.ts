import type { SwitchyardParams } from './params.js'

/** A deployment setting that breaks the timeout or capacity budget; `rule` names which. */
export class BudgetError extends Error {
  constructor (readonly rule: string, detail: string) {
    super(`deployment budget broken — ${rule}: ${detail}`)
    this.name = 'BudgetError'
  }
}

interface Rule { rule: string, holds: (p: SwitchyardParams) => boolean, detail: (p: SwitchyardParams) => string }

const totalTasks = (p: SwitchyardParams) => p.gateway.maxTasks + p.health.maxTasks

/**
 * The rules only a whole deployment can see (the services check their own at boot). Each is a
 * failure seen in production LLM backends: a load balancer closing sockets the service still
 * uses, a proxy timeout cutting long completions, a pool sized for one task and multiplied.
 */
export const deploymentRules: Rule[] = [
  {
    rule: 'load balancer idle timeout < service keep-alive timeout',
    holds: (p) => p.timeouts.albIdleTimeoutS * 1000 < p.timeouts.keepAliveTimeoutMs,
    detail: (p) => `ALB idle ${p.timeouts.albIdleTimeoutS} s must be below KEEP_ALIVE_TIMEOUT_MS ${p.timeouts.keepAliveTimeoutMs} ms, or the ALB reuses sockets the gateway has closed (502s)`
  },
  {
    rule: 'load balancer idle timeout > longest silence of a non-streamed answer',
    holds: (p) => p.timeouts.albIdleTimeoutS * 1000 > p.timeouts.routerTotalTimeoutMs,
    detail: (p) => `ALB idle ${p.timeouts.albIdleTimeoutS} s must exceed ROUTER_TOTAL_TIMEOUT_MS ${p.timeouts.routerTotalTimeoutMs} ms, or the ALB cuts non-streamed completions the router is still serving`
  },
  {
    rule: 'gateway router budget > router attempt-phase deadline > provider headers timeout',
    holds: (p) => p.timeouts.gatewayRouterBudgetMs > p.timeouts.routerTotalTimeoutMs && p.timeouts.routerTotalTimeoutMs > p.timeouts.providerHeadersTimeoutMs,
    detail: (p) => `need ROUTER_HEADERS_TIMEOUT_MS ${p.timeouts.gatewayRouterBudgetMs} > ROUTER_TOTAL_TIMEOUT_MS ${p.timeouts.routerTotalTimeoutMs} > PROVIDER_HEADERS_TIMEOUT_MS ${p.timeouts.providerHeadersTimeoutMs}, so the innermost specific error reaches the client`
  },
  {
    rule: 'Service Connect per-request timeout > gateway router budget',
    holds: (p) => p.timeouts.serviceConnectRequestTimeoutS * 1000 > p.timeouts.gatewayRouterBudgetMs,
    detail: (p) => `Service Connect ${p.timeouts.serviceConnectRequestTimeoutS} s must exceed ROUTER_HEADERS_TIMEOUT_MS ${p.timeouts.gatewayRouterBudgetMs} ms (its 15 s default would cut every long completion)`
  },
  {
    rule: 'container stop timeout > shutdown grace',
    holds: (p) => p.timeouts.stopTimeoutS * 1000 > p.timeouts.shutdownGraceMs && p.timeouts.stopTimeoutS <= 120,
    detail: (p) => `stopTimeout ${p.timeouts.stopTimeoutS} s (Fargate allows at most 120) must exceed SHUTDOWN_GRACE_MS ${p.timeouts.shutdownGraceMs} ms, or ECS kills tasks mid-drain`
  },
  {
    rule: 'tasks × pool size < database max connections',
    // One connection for the migration task and ten for operators' sessions on top.
    holds: (p) => totalTasks(p) * p.dbPoolMaxPerTask + 11 < p.database.maxConnections,
    detail: (p) => `${totalTasks(p)} tasks × DB_POOL_MAX ${p.dbPoolMaxPerTask} + 11 reserved must stay below max_connections ${p.database.maxConnections}`
  }
]

/** Throws the first broken rule; synth stops with its message. */
export function checkDeploymentBudget (p: SwitchyardParams): void {
  for (const r of deploymentRules) if (!r.holds(p)) throw new BudgetError(r.rule, r.detail(p))
}
