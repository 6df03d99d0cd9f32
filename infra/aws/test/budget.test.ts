import { describe, expect, it } from 'vitest'
import { BudgetError, checkDeploymentBudget } from '../src/budget.js'
import { defaultParams, resolveParams, type ParamOverrides } from '../src/params.js'
import { synth } from './synth.js'

const broken: Array<[string, ParamOverrides]> = [
  ['load balancer idle timeout < service keep-alive timeout', { timeouts: { albIdleTimeoutS: 250 } }],
  ['load balancer idle timeout > longest silence of a non-streamed answer', { timeouts: { albIdleTimeoutS: 200 } }],
  ['gateway router budget > router attempt-phase deadline > provider headers timeout', { timeouts: { routerTotalTimeoutMs: 170_000 } }],
  ['gateway router budget > router attempt-phase deadline > provider headers timeout', { timeouts: { gatewayRouterBudgetMs: 200_000 } }],
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

  it('refuses to synth without a certificate for the HTTPS listener', () => {
    expect(() => synth({ certificateArn: '' })).toThrow(/certificateArn is required/)
  })

  it('merges overrides one level deep, keeping the other defaults', () => {
    const p = resolveParams({ gateway: { maxTasks: 20 } })
    expect(p.gateway).toEqual({ ...defaultParams.gateway, maxTasks: 20 })
    expect(p.timeouts).toEqual(defaultParams.timeouts)
  })
})
