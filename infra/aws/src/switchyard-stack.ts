import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { Alarms } from './alarms.js'
import { checkDeploymentBudget } from './budget.js'
import { DataStores } from './data-stores.js'
import { LoadBalancer } from './load-balancer.js'
import { Network } from './network.js'
import type { SwitchyardParams } from './params.js'
import { Secrets } from './secrets.js'
import { Services } from './services.js'

/** The whole deployment. Parameters that break the timeout or capacity budget stop synth. */
export class SwitchyardStack extends Stack {
  readonly services: Services
  readonly alarms: Alarms
  /** What the deploy pipeline reads: the public URL and what running the migration task needs. */
  readonly outputs: CfnOutput[]

  constructor (scope: Construct, id: string, params: SwitchyardParams, props?: StackProps) {
    checkDeploymentBudget(params)
    super(scope, id, props)
    const net = new Network(this, 'Network', params)
    const secrets = new Secrets(this, 'Secrets', params)
    const data = new DataStores(this, 'Data', params, net)
    this.services = new Services(this, 'Services', params, net, data, secrets)
    const lb = new LoadBalancer(this, 'LoadBalancer', params, net, this.services)
    this.alarms = new Alarms(this, 'Alarms', params, lb, data)

    const outputs: Record<string, string> = {
      PublicUrl: `https://${lb.alb.loadBalancerDnsName}`,
      MigrationTaskDefinition: this.services.migrationTask.taskDefinitionArn,
      ClusterName: this.services.cluster.clusterName,
      MigrationSecurityGroup: net.migration.securityGroupId,
      MigrationSubnets: net.vpc.selectSubnets({ subnetGroupName: 'app' }).subnetIds.join(',')
    }
    this.outputs = Object.entries(outputs).map(([name, value]) => new CfnOutput(this, name, { value }))
  }
}
