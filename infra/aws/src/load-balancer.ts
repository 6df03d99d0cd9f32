import { aws_certificatemanager as acm, aws_elasticloadbalancingv2 as elbv2, Duration } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { Network } from './network.js'
import type { SwitchyardParams } from './params.js'
import type { Services } from './services.js'

/** Paths the public load balancer forwards; everything else gets a 404 from the ALB itself. */
export const PUBLIC_PATHS = ['/v1/*', '/livez', '/readyz']

/**
 * The only public entry: HTTPS to the gateway, HTTP redirected. Internal routes (`/internal/*`,
 * the metrics port) are never forwarded. Target health is `/readyz` — never the deep
 * `/v1/health`, which would take every gateway out of service when one dependency is down.
 */
export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer
  readonly targetGroup: elbv2.ApplicationTargetGroup

  constructor (scope: Construct, id: string, p: SwitchyardParams, net: Network, services: Services) {
    super(scope, id)
    if (p.certificateArn === '') {
      throw new Error('certificateArn is required: the public listener is HTTPS only (cdk synth -c certificateArn=arn:aws:acm:…)')
    }
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: net.vpc,
      internetFacing: true,
      securityGroup: net.alb,
      idleTimeout: Duration.seconds(p.timeouts.albIdleTimeoutS),
      dropInvalidHeaderFields: true
    })
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Gateway', {
      vpc: net.vpc,
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [services.gateway.loadBalancerTarget({ containerName: 'gateway', containerPort: 8080 })],
      healthCheck: { path: '/readyz', interval: Duration.seconds(10), timeout: Duration.seconds(3), healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
      // Longer than the drain: a task leaving keeps serving its in-flight completions.
      deregistrationDelay: Duration.millis(p.timeouts.shutdownGraceMs)
    })
    const https = this.alb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(this, 'Cert', p.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'application/json',
        messageBody: JSON.stringify({ error: { message: 'Not found.', type: 'not_found_error', code: 'NOT_FOUND' } })
      })
    })
    https.addAction('Gateway', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(PUBLIC_PATHS)],
      action: elbv2.ListenerAction.forward([this.targetGroup])
    })
    this.alb.addRedirect({ sourcePort: 80, targetPort: 443 })

    services.gatewayScaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: 500,
      targetGroup: this.targetGroup,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300)
    })
  }
}
