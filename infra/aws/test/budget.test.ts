import { describe, expect, it } from 'vitest'
import { BudgetError, checkDeploymentBudget } from '../src/budget.js'
import { defaultParams, resolveParams, type ParamOverrides } from '../src/params.js'
import { synth } from './synth.js'

const broken: Array<[string, ParamOverrides]> = [
  ['load balancer idle timeout < service keep-alive timeout', { timeouts: { albIdleTimeoutS: 250 } }],
  ['load balancer idle timeout > longest silence of a non-streamed answer', { timeouts: { albIdleTimeoutS: 200 } }],
  // Service-level rules: the same @switchyard/config rules the services check at boot.
  ['router attempt-phase deadline > provider headers timeout', { timeouts: { routerTotalTimeoutMs: 170_000 } }],
  ['gateway router budget > router attempt-phase deadline', { timeouts: { gatewayRouterBudgetMs: 200_000 } }],
  // Holds against this ALB (100 s < 105 s), but the gateway checks keep-alive against the
  // documented 240 s at boot and would refuse to start: synth says so first.
  ['service keep-alive timeout > load balancer idle timeout', { timeouts: { albIdleTimeoutS: 100, keepAliveTimeoutMs: 105_000, routerTotalTimeoutMs: 90_000, providerHeadersTimeoutMs: 60_000 } }],
  ['Service Connect per-request timeout > gateway router budget', { timeouts: { serviceConnectRequestTimeoutS: 15 } }],
  ['container stop timeout > shutdown grace', { timeouts: { shutdownGraceMs: 125_000 } }],
  ['tasks × pool size < database max connections', { gateway: { maxTasks: 40 } }]
]

describe('deployment budget', () => {
  it('holds for the production defaults', () => {
    expect(() => { checkDeploymentBudget(defaultParams) }).not.toThrow()
  })

  it.each(broken)('a parameter set breaking "%s" fails synth with that rule', (rule, overrides) => {
    let err: unknown
    try { synth(overrides) } catch (e) { err = e }
    expect(err).toBeInstanceOf(BudgetError)
    expect((err as BudgetError).rule).toBe(rule)
    expect((err as Error).message).toContain(rule)
  })

  it('names the service-level rule with the setting and both values, as the service would at boot', () => {
    let err: unknown
    try { synth({ timeouts: { gatewayRouterBudgetMs: 200_000 } }) } catch (e) { err = e }
    expect((err as Error).message).toBe('deployment budget broken — gateway router budget > router attempt-phase deadline: ' +
      'timeout budget rule "gateway router budget > router attempt-phase deadline" is broken: ROUTER_HEADERS_TIMEOUT_MS (gateway) (200000 ms) ' +
      'must be greater than ROUTER_TOTAL_TIMEOUT_MS (proxy-router) (230000 ms), or the gateway answers ROUTER_TIMEOUT while the router still has a specific answer coming')
  })

  it('refuses to synth without a certificate for the HTTPS listener', () => {
    expect(() => synth({ certificateArn: '' })).toThrow(/certificateArn is required/)
  })

  it('merges overrides one level deep, keeping the other defaults', () => {
    const p = resolveParams({ gateway: { maxTasks: 20 } })
    expect(p.gateway).toEqual({ ...defaultParams.gateway, maxTasks: 20 })
    expect(p.timeouts).toEqual(defaultParams.timeouts)
  })
})
