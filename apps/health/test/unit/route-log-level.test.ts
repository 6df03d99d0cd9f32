import { describe, expect, it } from 'vitest'
import { routeLogLevel } from '../../src/routes/health.js'

describe('routeLogLevel', () => {
  it('keeps load-balancer checks out of info logs but never logs more than LOG_LEVEL allows', () => {
    expect(routeLogLevel('info')).toBe('warn')
    expect(routeLogLevel('debug')).toBe('warn')
    expect(routeLogLevel('error')).toBe('error')
    expect(routeLogLevel('silent')).toBe('silent')
  })
})
