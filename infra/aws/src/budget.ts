import { brokenRule, gatewayTimeoutRules, routerTimeoutRules, type BudgetRule } from '@switchyard/config'
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
 * The rules only a whole deployment can see (the services check their own at boot, and
 * serviceRules below runs those same rules on the values this stack sets). Each is a failure
 * seen in production LLM backends: a load balancer closing sockets the service still uses, a
 * proxy timeout cutting long completions, a pool sized for one task and multiplied.
 */
export const deploymentRules: Rule[] = [
  {
    rule: 'load balancer idle timeout < service keep-alive timeout',
    holds: (p) => p.timeouts.albIdleTimeoutS * 1000 < p.timeouts.keepAliveTimeoutMs,
    detail: (p) => `ALB idle ${p.timeouts.albIdleTimeoutS} s must be below KEEP_ALIVE_TIMEOUT_MS ${p.timeouts.keepAliveTimeoutMs} ms, or the ALB reuses sockets the gateway has closed (502s)`
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

/**
 * The services' own timeout rules (@switchyard/config): one source states them. Run twice: on the
 * values this stack sets with its real ALB idle and stop timeouts, then exactly as the services
 * run them at boot (against the documented defaults for those), so synth fails where a task would
 * refuse to boot. The gateway's ROUTER_TOTAL_TIMEOUT_MS is the router's (services.ts sets both).
 */
export function serviceRules (p: SwitchyardParams): BudgetRule[] {
  const t = p.timeouts
  const gateway = { routerHeadersTimeoutMs: t.gatewayRouterBudgetMs, routerTotalTimeoutMs: t.routerTotalTimeoutMs, keepAliveTimeoutMs: t.keepAliveTimeoutMs }
  const router = { routerTotalTimeoutMs: t.routerTotalTimeoutMs, providerHeadersTimeoutMs: t.providerHeadersTimeoutMs, shutdownGraceMs: t.shutdownGraceMs }
  const loadBalancerIdleTimeoutMs = t.albIdleTimeoutS * 1000
  return [
    ...gatewayTimeoutRules({ ...gateway, loadBalancerIdleTimeoutMs }),
    ...routerTimeoutRules({ ...router, loadBalancerIdleTimeoutMs, containerStopTimeoutMs: t.stopTimeoutS * 1000 }),
    ...gatewayTimeoutRules(gateway),
    ...routerTimeoutRules(router)
  ]
}

/** Throws the first broken rule (deployment rules, then the services'); synth stops with its message. */
export function checkDeploymentBudget (p: SwitchyardParams): void {
  for (const r of deploymentRules) if (!r.holds(p)) throw new BudgetError(r.rule, r.detail(p))
  for (const r of serviceRules(p)) {
    const message = brokenRule([r])
    if (message !== undefined) throw new BudgetError(r.name, message.replace(/^Invalid configuration: /, ''))
  }
}
