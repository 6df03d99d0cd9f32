import { aws_ecs as ecs, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib'

/** The services' Prometheus port (METRICS_PORT): never behind the load balancer. */
export const METRICS_PORT = 9464
export const METRICS_NAMESPACE = 'Switchyard'

/** The application metrics the alarms read (names as the services export them). */
export const alarmMetrics = {
  upstreamRequests: 'switchyard_upstream_requests_total',
  upstreamErrors: 'switchyard_upstream_errors_total',
  usageEventsDropped: 'switchyard_usage_events_dropped_total'
} as const

/**
 * A CloudWatch agent beside the service that scrapes its /metrics on localhost and publishes the
 * metrics the alarms need through embedded metric format, so application metrics reach
 * CloudWatch without the services knowing about AWS.
 */
export function addMetricsSidecar (task: ecs.FargateTaskDefinition, service: string, logGroup: logs.ILogGroup): void {
  const prometheus = [
    'global:',
    '  scrape_interval: 30s',
    'scrape_configs:',
    `  - job_name: ${service}`,
    '    static_configs:',
    `      - targets: ['127.0.0.1:${METRICS_PORT}']`
  ].join('\n')
  const agent = {
    logs: {
      metrics_collected: {
        prometheus: {
          prometheus_config_path: 'env:PROMETHEUS_CONFIG_CONTENT',
          emf_processor: {
            metric_namespace: METRICS_NAMESPACE,
            metric_declaration: [{
              source_labels: ['job'],
              label_matcher: `^${service}$`,
              dimensions: [['job']],
              metric_selectors: Object.values(alarmMetrics).map((m) => `^${m}$`)
            }]
          }
        }
      },
      force_flush_interval: 30
    }
  }
  task.addContainer('metrics-agent', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest'),
    essential: false,
    memoryReservationMiB: 64,
    environment: { CW_CONFIG_CONTENT: JSON.stringify(agent), PROMETHEUS_CONFIG_CONTENT: prometheus },
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'metrics-agent', logGroup })
  })
  task.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup', 'logs:DescribeLogStreams'],
    resources: ['*']
  }))
}
