import type { SwitchyardError } from '@switchyard/errors'
import type { RoutedDeployment } from '../routing/routing-table.js'
import type { NextStep } from './attempt-loop.js'
import type { UpstreamMetrics } from './upstream-metrics.js'

// Counts one request's attempts as the loop reports them: every failure, every retry, and every
// fallback with the provider it left and the provider it then tried. A fallback is counted when
// the next deployment is actually tried (it fails or serves): a "fallback" with nothing left in
// the plan, or with the next deployment cooling down, moved nowhere and is not one.

export interface AttemptMetrics {
  onFailure: (err: SwitchyardError, deployment: RoutedDeployment, next: NextStep) => void
  onServed: (deployment: RoutedDeployment) => void
}

export function attemptMetrics (metrics: UpstreamMetrics): AttemptMetrics {
  let leftProvider: string | undefined
  let leftDeployment: string | undefined
  const arrivedAt = (deployment: RoutedDeployment): void => {
    if (leftProvider === undefined || deployment.id === leftDeployment) return
    metrics.fellBack(leftProvider, deployment.provider.id)
    leftProvider = undefined
    leftDeployment = undefined
  }
  return {
    onFailure: (err, deployment, next) => {
      arrivedAt(deployment)
      metrics.failed(deployment.provider.id, err.code)
      if (next === 'retry') metrics.retried(deployment.provider.id)
      if (next === 'fallback') {
        leftProvider = deployment.provider.id
        leftDeployment = deployment.id
      }
    },
    onServed: (deployment) => {
      arrivedAt(deployment)
      metrics.served(deployment.provider.id)
    }
  }
}
