import { describe, expect, it } from 'vitest'
import { ConfigError, checkTimeoutBudget, gatewayTimeoutRules, routerTimeoutRules, timeoutDefaults } from '../src/index.js'

describe('timeout budget', () => {
  it('holds for the shipped defaults of every service', () => {
    expect(() => checkTimeoutBudget(routerTimeoutRules({
      routerTotalTimeoutMs: timeoutDefaults.routerTotalTimeoutMs,
      providerHeadersTimeoutMs: timeoutDefaults.providerHeadersTimeoutMs,
      shutdownGraceMs: timeoutDefaults.shutdownGraceMs
    }))).not.toThrow()
    expect(() => checkTimeoutBudget(gatewayTimeoutRules({
      routerHeadersTimeoutMs: timeoutDefaults.gatewayRouterHeadersTimeoutMs,
      routerTotalTimeoutMs: timeoutDefaults.routerTotalTimeoutMs,
      keepAliveTimeoutMs: 245_000
    }))).not.toThrow()
  })

  it('names the broken rule and both settings in one line', () => {
    const check = () => checkTimeoutBudget(routerTimeoutRules({ routerTotalTimeoutMs: 60_000, providerHeadersTimeoutMs: 180_000, shutdownGraceMs: 1000 }))
    expect(check).toThrow(ConfigError)
    expect(check).toThrow(/"router attempt-phase deadline > provider headers timeout".*ROUTER_TOTAL_TIMEOUT_MS \(60000 ms\).*PROVIDER_HEADERS_TIMEOUT_MS \(180000 ms\)/)
    try { check() } catch (err) { expect((err as Error).message).not.toContain('\n') }
  })

  it('refuses a router deadline the load balancer would cut, and equal values', () => {
    expect(() => checkTimeoutBudget(routerTimeoutRules({ routerTotalTimeoutMs: 300_000, providerHeadersTimeoutMs: 1000, shutdownGraceMs: 1000 })))
      .toThrow(/load balancer idle timeout > longest silence/)
    expect(() => checkTimeoutBudget(routerTimeoutRules({ routerTotalTimeoutMs: 5000, providerHeadersTimeoutMs: 5000, shutdownGraceMs: 1000 })))
      .toThrow(/must be greater than/)
  })

  it('refuses a shutdown grace the container stop timeout would cut', () => {
    expect(() => checkTimeoutBudget(routerTimeoutRules({ routerTotalTimeoutMs: 200_000, providerHeadersTimeoutMs: 1000, shutdownGraceMs: 130_000 })))
      .toThrow(/container stop timeout > shutdown grace/)
  })

  it('lets the gateway check its router budget against the router total it is given', () => {
    const gateway = { routerHeadersTimeoutMs: 200_000, routerTotalTimeoutMs: timeoutDefaults.routerTotalTimeoutMs, keepAliveTimeoutMs: 245_000 }
    expect(() => checkTimeoutBudget(gatewayTimeoutRules(gateway))).toThrow(/ROUTER_HEADERS_TIMEOUT_MS \(gateway\) \(200000 ms\).*ROUTER_TOTAL_TIMEOUT_MS \(proxy-router\) \(230000 ms\)/)
    expect(() => checkTimeoutBudget(gatewayTimeoutRules({ ...gateway, routerTotalTimeoutMs: 100_000 }))).not.toThrow()
  })

  it('refuses a gateway keep-alive at or below the load balancer idle timeout', () => {
    const gateway = { routerHeadersTimeoutMs: 300_000, routerTotalTimeoutMs: 230_000, keepAliveTimeoutMs: 240_000 }
    expect(() => checkTimeoutBudget(gatewayTimeoutRules(gateway))).toThrow(/"service keep-alive timeout > load balancer idle timeout".*KEEP_ALIVE_TIMEOUT_MS \(240000 ms\)/)
    // A deployment with a shorter load balancer idle timeout passes its own value.
    expect(() => checkTimeoutBudget(gatewayTimeoutRules({ ...gateway, routerTotalTimeoutMs: 50_000, loadBalancerIdleTimeoutMs: 60_000 }))).not.toThrow()
  })

  it('checks the deployment\'s own load balancer and stop timeouts when it passes them', () => {
    const router = { routerTotalTimeoutMs: 230_000, providerHeadersTimeoutMs: 180_000, shutdownGraceMs: 110_000 }
    expect(() => checkTimeoutBudget(routerTimeoutRules({ ...router, loadBalancerIdleTimeoutMs: 200_000 }))).toThrow(/load balancer idle timeout > longest silence/)
    expect(() => checkTimeoutBudget(routerTimeoutRules({ ...router, containerStopTimeoutMs: 100_000 }))).toThrow(/container stop timeout > shutdown grace/)
  })
})
