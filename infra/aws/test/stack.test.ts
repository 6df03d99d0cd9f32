import { Match } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC_PATHS } from '../src/load-balancer.js'
import { defaultParams } from '../src/params.js'
import { container, envOf, resourcesOf, secretNamesOf, synth } from './synth.js'
import type { Template } from 'aws-cdk-lib/assertions'

let template: Template
beforeAll(() => { template = synth() })

const logicalIdOf = (resources: Record<string, unknown>, pred: (props: Record<string, unknown>) => boolean): string => {
  const found = Object.entries(resources as Record<string, { Properties: Record<string, unknown> }>).find(([, r]) => pred(r.Properties))
  if (found === undefined) throw new Error('not found')
  return found[0]
}
const sgId = (description: string) => logicalIdOf(resourcesOf(template, 'AWS::EC2::SecurityGroup'), (p) => String(p['GroupDescription']).startsWith(description))

describe('synthesized deployment', () => {
  it('has exactly one load balancer, internet-facing, and it forwards only to the gateway', () => {
    const albs = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')
    expect(Object.values(albs).map((a) => a.Properties?.['Scheme'])).toEqual(['internet-facing'])
    const groups = Object.values(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup'))
    expect(groups).toHaveLength(1)
    expect(groups[0]?.Properties).toMatchObject({ Port: 8080, HealthCheckPath: '/readyz', TargetType: 'ip' })
    const services = resourcesOf(template, 'AWS::ECS::Service')
    const balanced = Object.values(services).filter((s) => (s.Properties?.['LoadBalancers'] as unknown[] | undefined)?.length)
    expect(balanced.map((s) => s.Properties?.['ServiceName'])).toEqual(['switchyard-gateway'])
  })

  it('forwards only /v1/* and the lifecycle routes; everything else is a 404 from the load balancer', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: PUBLIC_PATHS } }]
    })
    expect(PUBLIC_PATHS).toEqual(['/v1/*', '/livez', '/readyz'])
    // That rule is the only way in: no other rule forwards anything, so /internal/* (the gateway's
    // /internal/db, the router's and health's internal routes) and /metrics never reach a task.
    const rules = Object.values(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule'))
    expect(rules).toHaveLength(1)
    const patterns = rules.flatMap((r) => (r.Properties?.['Conditions'] as Array<{ PathPatternConfig?: { Values: string[] } }>).flatMap((c) => c.PathPatternConfig?.Values ?? []))
    const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path)
    for (const path of ['/internal/db', '/internal/debug/config', '/internal/providers', '/internal/deployments', '/metrics', '/status', '/health']) {
      expect(patterns.some((p) => matches(p, path)), path).toBe(false)
    }
    for (const path of ['/v1/chat/completions', '/v1/debug/bundle', '/livez', '/readyz']) expect(patterns.some((p) => matches(p, path)), path).toBe(true)
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })]
    })
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })]
    })
  })

  it('lets only the load balancer reach the gateway from outside, and only gateway and health reach the router', () => {
    const ingress: Array<Record<string, unknown>> = [
      ...Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties ?? {}),
      ...Object.entries(resourcesOf(template, 'AWS::EC2::SecurityGroup')).flatMap(([id, r]) =>
        ((r.Properties?.['SecurityGroupIngress'] ?? []) as Array<Record<string, unknown>>).map((rule) => ({ ...rule, GroupId: { 'Fn::GetAtt': [id, 'GroupId'] } })))
    ]
    const open = ingress.filter((r) => r['CidrIp'] === '0.0.0.0/0')
    expect(open.map((r) => (r['GroupId'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0])).toEqual([sgId('Public load balancer'), sgId('Public load balancer')])
    const toRouter = ingress.filter((r) => JSON.stringify(r['GroupId']).includes(sgId('Proxy-router')))
    const sources = toRouter.map((r) => (r['SourceSecurityGroupId'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]).sort()
    expect(sources).toEqual([sgId('Gateway tasks'), sgId('Health tasks')].sort())
    expect(toRouter.every((r) => r['FromPort'] === 8081 && r['ToPort'] === 8081)).toBe(true)
    const toHealth = ingress.filter((r) => JSON.stringify(r['GroupId']).includes(sgId('Health tasks')))
    expect(toHealth.map((r) => (r['SourceSecurityGroupId'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0])).toEqual([sgId('Gateway tasks')])
    expect(toHealth.every((r) => r['FromPort'] === 8082 && r['ToPort'] === 8082)).toBe(true)
  })

  it('creates every secret under the deployment prefix and injects them as container secrets, never as plain values', () => {
    const secrets = Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret'))
    expect(secrets.length).toBeGreaterThanOrEqual(2 + defaultParams.providerKeyEnvs.length + 1)
    for (const s of secrets) expect(String(s.Properties?.['Name'])).toMatch(/^switchyard\//)
    expect(secretNamesOf(container(template, 'gateway')).sort()).toEqual(['ADMIN_TOKEN', 'HEALTH_TOKEN', 'INTERNAL_TOKEN', 'PGPASSWORD'])
    expect(secretNamesOf(container(template, 'proxy-router')).sort()).toEqual(['ANTHROPIC_API_KEY', 'HEALTH_TOKEN', 'INTERNAL_TOKEN', 'OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'ROUTES_JSON'])
    // Least privilege (docs/adr/0025): health holds the read-only HEALTH_TOKEN, never INTERNAL_TOKEN.
    expect(secretNamesOf(container(template, 'health')).sort()).toEqual(['HEALTH_TOKEN', 'PGPASSWORD'])
    for (const name of ['gateway', 'proxy-router', 'health']) {
      const env = envOf(container(template, name))
      for (const secret of ['ADMIN_TOKEN', 'INTERNAL_TOKEN', 'HEALTH_TOKEN', 'PGPASSWORD', 'OPENAI_API_KEY']) expect(env).not.toHaveProperty(secret)
    }
    // The router's provider keys never reach the gateway or health.
    expect(secretNamesOf(container(template, 'health'))).not.toContain('OPENAI_API_KEY')
  })

  it('lets the task execution roles read only secrets under the prefix', () => {
    // Secrets the stack created (all named under the prefix, see above), or RDS's attachment of one.
    const allowed = new Set([
      ...Object.keys(resourcesOf(template, 'AWS::SecretsManager::Secret')),
      ...Object.keys(resourcesOf(template, 'AWS::SecretsManager::SecretTargetAttachment'))
    ])
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) => String(JSON.stringify(p.Properties?.['PolicyName'])).includes('ExecutionRole'))
    expect(policies.length).toBe(4)
    for (const policy of policies) {
      const statements = (policy.Properties?.['PolicyDocument'] as { Statement: Array<{ Action: string | string[], Resource: unknown }> }).Statement
      for (const st of statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager'))) {
        for (const resource of [st.Resource].flat()) {
          const ref = (resource as { Ref?: string }).Ref
          expect(ref !== undefined && allowed.has(ref), JSON.stringify(resource)).toBe(true)
        }
      }
    }
  })

  it('keeps the timeout order: ALB idle < keep-alive, Service Connect > gateway router budget > router total > provider, stop > grace', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '240' }])
    })
    const gateway = envOf(container(template, 'gateway'))
    const router = envOf(container(template, 'proxy-router'))
    expect(Number(gateway['KEEP_ALIVE_TIMEOUT_MS'])).toBeGreaterThan(240_000)
    const budget = Number(gateway['ROUTER_HEADERS_TIMEOUT_MS'])
    expect(budget).toBeGreaterThan(Number(router['ROUTER_TOTAL_TIMEOUT_MS']))
    // The gateway checks its budget at boot against its copy of the router's total: they match.
    expect(gateway['ROUTER_TOTAL_TIMEOUT_MS']).toBe(router['ROUTER_TOTAL_TIMEOUT_MS'])
    expect(Number(router['ROUTER_TOTAL_TIMEOUT_MS'])).toBeGreaterThan(Number(router['PROVIDER_HEADERS_TIMEOUT_MS']))
    expect(Number(router['ROUTER_TOTAL_TIMEOUT_MS'])).toBeLessThan(240_000)
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'switchyard-proxy-router',
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({ PortName: 'proxy-router', Timeout: { PerRequestTimeoutSeconds: 310, IdleTimeoutSeconds: 310 } })]
      })
    })
    expect(310_000).toBeGreaterThan(budget)
    for (const name of ['gateway', 'proxy-router', 'health']) {
      const c = container(template, name)
      expect(c['StopTimeout']).toBe(120)
      expect(Number(envOf(c)['SHUTDOWN_GRACE_MS'])).toBeLessThan(120_000)
    }
  })

  it('balances requests, not connections: every service port is appProtocol http and reached by name', () => {
    for (const name of ['gateway', 'proxy-router', 'health']) {
      expect(container(template, name)['PortMappings']).toEqual([expect.objectContaining({ AppProtocol: 'http', Name: name })])
    }
    expect(envOf(container(template, 'gateway'))).toMatchObject({ ROUTER_URL: 'http://proxy-router:8081', HEALTH_URL: 'http://health:8082' })
    expect(envOf(container(template, 'health'))).toMatchObject({ GATEWAY_URL: 'http://gateway:8080', ROUTER_URL: 'http://proxy-router:8081' })
  })

  it('scales the gateway on CPU and requests per target, the router on CPU', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy'))
    const metrics = policies.map((p) => (p.Properties?.['TargetTrackingScalingPolicyConfiguration'] as { PredefinedMetricSpecification: { PredefinedMetricType: string } }).PredefinedMetricSpecification.PredefinedMetricType)
    expect(metrics.filter((m) => m === 'ECSServiceAverageCPUUtilization')).toHaveLength(3)
    expect(metrics.filter((m) => m === 'ALBRequestCountPerTarget')).toHaveLength(1)
  })

  it('keeps logs for the configured retention and pages on 5xx, p99, provider errors, pool saturation and dropped usage', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))
    expect(groups.length).toBeGreaterThanOrEqual(4)
    for (const g of groups) expect(g.Properties?.['RetentionInDays']).toBe(30)
    const names = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties?.['AlarmName']).sort()
    expect(names).toEqual(['switchyard-DatabasePoolSaturation', 'switchyard-FiveXxRate', 'switchyard-P99Latency', 'switchyard-ProviderErrorRate', 'switchyard-UsageEventsDropped'])
  })

  it('runs the database migration as its own one-off task, with the gateway image', () => {
    const migrate = container(template, 'migrate')
    expect(migrate['Command']).toEqual(['node', 'node_modules/@switchyard/db/dist/bin/migrate.js'])
    expect(secretNamesOf(migrate)).toEqual(['PGPASSWORD'])
    template.hasOutput('MigrationTaskDefinition', {})
  })

  it('sets the database max_connections the capacity rule checks', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: Match.objectLike({ max_connections: '400' }) })
  })
})
