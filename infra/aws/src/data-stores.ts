import { aws_ec2 as ec2, aws_elasticache as elasticache, aws_rds as rds, Duration, RemovalPolicy } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { Network } from './network.js'
import type { SwitchyardParams } from './params.js'

/**
 * Postgres (the durable truth: keys, plans, usage) and Redis (limits and counters), both in the
 * isolated subnets. `max_connections` is set explicitly so the capacity rule in budget.ts checks
 * the number the server really has.
 */
export class DataStores extends Construct {
  readonly database: rds.DatabaseInstance
  readonly databaseName = 'switchyard'
  readonly databaseUser = 'switchyard'
  readonly redisUrl: string

  constructor (scope: Construct, id: string, p: SwitchyardParams, net: Network) {
    super(scope, id)
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 })
    const parameters = new rds.ParameterGroup(this, 'Params', {
      engine,
      parameters: { max_connections: String(p.database.maxConnections), 'rds.force_ssl': '1' }
    })
    this.database = new rds.DatabaseInstance(this, 'Postgres', {
      engine,
      parameterGroup: parameters,
      instanceType: new ec2.InstanceType(p.database.instanceType),
      vpc: net.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [net.database],
      multiAz: p.database.multiAz,
      allocatedStorage: p.database.allocatedStorageGiB,
      storageEncrypted: true,
      databaseName: this.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret(this.databaseUser, { secretName: `${p.name}/database` }),
      backupRetention: Duration.days(p.database.backupRetentionDays),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT
    })

    const subnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Switchyard Redis',
      subnetIds: net.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds
    })
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Switchyard limits and counters',
      engine: 'redis',
      cacheNodeType: p.redis.nodeType,
      numCacheClusters: 1 + p.redis.replicas,
      automaticFailoverEnabled: p.redis.replicas > 0,
      multiAzEnabled: p.redis.replicas > 0,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [net.redis.securityGroupId]
    })
    this.redisUrl = `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`
  }

  /** DATABASE_URL without the password: postgres.js takes it from PGPASSWORD (a container secret). */
  get databaseUrl (): string {
    return `postgres://${this.databaseUser}@${this.database.dbInstanceEndpointAddress}:${this.database.dbInstanceEndpointPort}/${this.databaseName}?sslmode=require`
  }
}
