import { ConfigError } from './load-config.js'

// The timeout budget as code (docs/adr/0008). Every hop of a request waits for the one inside it,
// so the outer wait must be the longer one, or the outer hop gives up first and the client gets
// a vague "router timeout" (or an ALB 502) instead of the specific error the inner hop was about
// to send. Each rule is a pure check; a service runs the ones about its own settings at boot, and
// a failed rule is one ConfigError line naming the rule and the settings.

/** Defaults the services share, so one side can check its settings against the other's default. */
export const timeoutDefaults = {
  /** Load balancer idle timeout in front of the gateway (infra; not a service setting). */
  loadBalancerIdleTimeoutMs: 240_000,
  /** Gateway → router: time to the router's first byte (ROUTER_HEADERS_TIMEOUT_MS). */
  gatewayRouterHeadersTimeoutMs: 300_000,
  /** Router attempt phase: all retries and fallbacks (ROUTER_TOTAL_TIMEOUT_MS). */
  routerTotalTimeoutMs: 230_000,
  /** One provider attempt, time to response headers (PROVIDER_HEADERS_TIMEOUT_MS). */
  providerHeadersTimeoutMs: 180_000,
  /** ECS task stopTimeout ceiling. */
  containerStopTimeoutMs: 120_000,
  /** SIGTERM → forced exit (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: 110_000
} as const

export interface BudgetRule {
  /** Stable name, quoted in the error so the reader can find it in docs/adr/0008. */
  readonly name: string
  /** The outer wait: the one that must be longer. */
  readonly outer: { readonly setting: string, readonly ms: number }
  /** The inner wait. */
  readonly inner: { readonly setting: string, readonly ms: number }
  /** Why, in a few words (ends the error line). */
  readonly why: string
}

const rule = (name: string, outer: [string, number], inner: [string, number], why: string): BudgetRule =>
  ({ name, outer: { setting: outer[0], ms: outer[1] }, inner: { setting: inner[0], ms: inner[1] }, why })

/** The first broken rule as one readable line, or undefined when all hold. */
export function brokenRule (rules: readonly BudgetRule[]): string | undefined {
  for (const rule of rules) {
    if (rule.outer.ms <= rule.inner.ms) {
      return `Invalid configuration: timeout budget rule "${rule.name}" is broken: ` +
        `${rule.outer.setting} (${rule.outer.ms} ms) must be greater than ${rule.inner.setting} (${rule.inner.ms} ms), ${rule.why}`
    }
  }
  return undefined
}

/** Throws a ConfigError naming the first broken rule. */
export function checkTimeoutBudget (rules: readonly BudgetRule[]): void {
  const message = brokenRule(rules)
  if (message !== undefined) throw new ConfigError(message)
}

/**
 * Load balancer idle timeout > the longest silence of a non-streamed answer (it sends nothing
 * until done, and the router's attempt phase may use its whole deadline).
 */
export function loadBalancerRule (loadBalancerIdleTimeoutMs: number, longestSilenceMs: number, silenceSetting = 'ROUTER_TOTAL_TIMEOUT_MS'): BudgetRule {
  return rule('load balancer idle timeout > longest silence of a non-streamed answer', ['the load balancer idle timeout', loadBalancerIdleTimeoutMs], [silenceSetting, longestSilenceMs],
    'or the load balancer cuts completions that are still being computed')
}

/** Gateway ROUTER_HEADERS_TIMEOUT_MS > router ROUTER_TOTAL_TIMEOUT_MS: the router's specific error must win. */
export function gatewayRouterRule (gatewayRouterHeadersTimeoutMs: number, routerTotalTimeoutMs: number = timeoutDefaults.routerTotalTimeoutMs): BudgetRule {
  return rule('gateway router budget > router attempt-phase deadline', ['ROUTER_HEADERS_TIMEOUT_MS (gateway)', gatewayRouterHeadersTimeoutMs], ['ROUTER_TOTAL_TIMEOUT_MS (proxy-router)', routerTotalTimeoutMs],
    'or the gateway answers ROUTER_TIMEOUT while the router still has a specific answer coming')
}

/** Router ROUTER_TOTAL_TIMEOUT_MS > PROVIDER_HEADERS_TIMEOUT_MS: one slow attempt must leave room to fall back. */
export function routerAttemptRule (routerTotalTimeoutMs: number, providerHeadersTimeoutMs: number): BudgetRule {
  return rule('router attempt-phase deadline > provider headers timeout', ['ROUTER_TOTAL_TIMEOUT_MS', routerTotalTimeoutMs], ['PROVIDER_HEADERS_TIMEOUT_MS', providerHeadersTimeoutMs],
    'or a single silent provider uses the whole deadline and no fallback is ever tried')
}

/** Container stop timeout > SHUTDOWN_GRACE_MS: the orchestrator must not SIGKILL a draining service. */
export function shutdownRule (containerStopTimeoutMs: number, shutdownGraceMs: number): BudgetRule {
  return rule('container stop timeout > shutdown grace', ['the container stop timeout', containerStopTimeoutMs], ['SHUTDOWN_GRACE_MS', shutdownGraceMs],
    'or in-flight requests are killed before they could finish')
}

/**
 * Service KEEP_ALIVE_TIMEOUT_MS > load balancer idle timeout: the load balancer must be the side
 * that closes an idle connection, or it sends a request on a socket the service just closed.
 */
export function keepAliveRule (keepAliveTimeoutMs: number, loadBalancerIdleTimeoutMs: number = timeoutDefaults.loadBalancerIdleTimeoutMs): BudgetRule {
  return rule('service keep-alive timeout > load balancer idle timeout', ['KEEP_ALIVE_TIMEOUT_MS', keepAliveTimeoutMs], ['the load balancer idle timeout', loadBalancerIdleTimeoutMs],
    'or the load balancer reuses connections the service has already closed (502s)')
}

/**
 * What the gateway checks at boot about its own settings. It cannot see the router's
 * ROUTER_TOTAL_TIMEOUT_MS, so it has its own copy (which must equal the router's); the load
 * balancer idle timeout is the documented default unless a deployment (infra) passes its own.
 */
export function gatewayTimeoutRules (s: {
  routerHeadersTimeoutMs: number
  routerTotalTimeoutMs: number
  keepAliveTimeoutMs: number
  loadBalancerIdleTimeoutMs?: number
}): BudgetRule[] {
  const loadBalancerIdleTimeoutMs = s.loadBalancerIdleTimeoutMs ?? timeoutDefaults.loadBalancerIdleTimeoutMs
  return [
    gatewayRouterRule(s.routerHeadersTimeoutMs, s.routerTotalTimeoutMs),
    keepAliveRule(s.keepAliveTimeoutMs, loadBalancerIdleTimeoutMs),
    loadBalancerRule(loadBalancerIdleTimeoutMs, s.routerTotalTimeoutMs)
  ]
}

/**
 * What the proxy-router checks at boot about its own settings. The load balancer idle timeout and
 * the container stop timeout are the documented defaults unless a deployment (infra) passes its own.
 */
export function routerTimeoutRules (s: {
  routerTotalTimeoutMs: number
  providerHeadersTimeoutMs: number
  shutdownGraceMs: number
  loadBalancerIdleTimeoutMs?: number
  containerStopTimeoutMs?: number
}): BudgetRule[] {
  return [
    routerAttemptRule(s.routerTotalTimeoutMs, s.providerHeadersTimeoutMs),
    loadBalancerRule(s.loadBalancerIdleTimeoutMs ?? timeoutDefaults.loadBalancerIdleTimeoutMs, s.routerTotalTimeoutMs),
    shutdownRule(s.containerStopTimeoutMs ?? timeoutDefaults.containerStopTimeoutMs, s.shutdownGraceMs)
  ]
}
