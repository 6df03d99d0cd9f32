import { aws_ec2 as ec2 } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { SwitchyardParams } from './params.js'

/**
 * The VPC and one security group per tier. Ingress is granted only where a tier is called:
 * ALB → gateway, gateway and health → router, gateway → health (debug routes),
 * gateway/health/migration → database and Redis.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc
  readonly alb: ec2.SecurityGroup
  readonly gateway: ec2.SecurityGroup
  readonly router: ec2.SecurityGroup
  readonly health: ec2.SecurityGroup
  readonly migration: ec2.SecurityGroup
  readonly database: ec2.SecurityGroup
  readonly redis: ec2.SecurityGroup

  constructor (scope: Construct, id: string, p: SwitchyardParams) {
    super(scope, id)
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: p.maxAzs,
      natGateways: p.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
      ]
    })
    const sg = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc: this.vpc, description, allowAllOutbound: true })
    this.alb = sg('AlbSg', 'Public load balancer: HTTPS from anywhere')
    this.gateway = sg('GatewaySg', 'Gateway tasks')
    this.router = sg('RouterSg', 'Proxy-router tasks: internal only')
    this.health = sg('HealthSg', 'Health tasks: internal only')
    this.migration = sg('MigrationSg', 'One-off database migration task')
    this.database = sg('DatabaseSg', 'Postgres')
    this.redis = sg('RedisSg', 'Redis')

    this.alb.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS')
    this.alb.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS')
    this.gateway.addIngressRule(this.alb, ec2.Port.tcp(8080), 'from the load balancer')
    this.gateway.addIngressRule(this.health, ec2.Port.tcp(8080), 'health probes')
    this.router.addIngressRule(this.gateway, ec2.Port.tcp(8081), 'completions from the gateway')
    this.router.addIngressRule(this.health, ec2.Port.tcp(8081), 'health probes')
    this.health.addIngressRule(this.gateway, ec2.Port.tcp(8082), 'debug config and report for the gateway\'s admin debug routes')
    for (const client of [this.gateway, this.health, this.migration]) {
      this.database.addIngressRule(client, ec2.Port.tcp(5432), 'Postgres clients')
    }
    for (const client of [this.gateway, this.health]) {
      this.redis.addIngressRule(client, ec2.Port.tcp(6379), 'Redis clients')
    }
  }
}
