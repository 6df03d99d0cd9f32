import { aws_cloudwatch as cw, aws_cloudwatch_actions as actions, aws_elasticloadbalancingv2 as elbv2, aws_sns as sns, Duration } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { DataStores } from './data-stores.js'
import type { LoadBalancer } from './load-balancer.js'
import { alarmMetrics, METRICS_NAMESPACE } from './metrics-sidecar.js'
import type { SwitchyardParams } from './params.js'

/** The alarms an operator is paged for, all to one SNS topic. */
export class Alarms extends Construct {
  readonly topic: sns.Topic

  constructor (scope: Construct, id: string, p: SwitchyardParams, lb: LoadBalancer, data: DataStores) {
    super(scope, id)
    this.topic = new sns.Topic(this, 'Topic', { displayName: `${p.name} alarms` })
    const period = Duration.minutes(1)
    const alb = lb.alb.metrics
    const app = (metricName: string, job: string) =>
      new cw.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { job }, statistic: 'Sum', period })
    const alarm = (name: string, metric: cw.IMetric, threshold: number, description: string) => {
      const a = new cw.Alarm(this, name, {
        alarmName: `${p.name}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING
      })
      a.addAlarmAction(new actions.SnsAction(this.topic))
      return a
    }

    alarm('FiveXxRate', new cw.MathExpression({
      expression: '100 * (e5 + t5) / MAX([req, 1])',
      usingMetrics: {
        e5: alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period }),
        t5: lb.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period }),
        req: alb.requestCount({ period })
      },
      period
    }), p.alarms.fiveXxRatePercent, '5xx answers as a share of requests (load balancer and gateway)')
    alarm('P99Latency', lb.targetGroup.metrics.targetResponseTime({ statistic: 'p99', period }), p.alarms.p99LatencyS,
      'p99 gateway response time (long completions included)')
    alarm('ProviderErrorRate', new cw.MathExpression({
      expression: '100 * err / MAX([req, 1])',
      usingMetrics: { err: app(alarmMetrics.upstreamErrors, 'proxy-router'), req: app(alarmMetrics.upstreamRequests, 'proxy-router') },
      period
    }), p.alarms.providerErrorRatePercent, 'provider calls that failed, as a share of all provider calls')
    alarm('DatabasePoolSaturation', new cw.MathExpression({
      expression: `100 * conns / ${p.database.maxConnections}`,
      usingMetrics: { conns: data.database.metricDatabaseConnections({ period, statistic: 'Maximum' }) },
      period
    }), p.alarms.dbPoolSaturationPercent, 'database connections in use as a share of max_connections')
    alarm('UsageEventsDropped', app(alarmMetrics.usageEventsDropped, 'gateway'), 0,
      'the gateway dropped usage events (its buffer overflowed while Postgres was unreachable)')
  }
}
