import { aws_ecr as ecr, aws_ecs as ecs, aws_logs as logs, Duration, RemovalPolicy } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { DataStores } from './data-stores.js'
import { addMetricsSidecar, METRICS_PORT } from './metrics-sidecar.js'
import type { Network } from './network.js'
import type { ServiceSize, SwitchyardParams } from './params.js'
import type { Secrets } from './secrets.js'

type App = 'gateway' | 'proxy-router' | 'health'
const PORTS: Record<App, number> = { gateway: 8080, 'proxy-router': 8081, health: 8082 }
const NAMESPACE = 'switchyard.internal'

/**
 * The cluster and the three Fargate services, all Service Connect servers (reachable by name
 * inside the namespace, `appProtocol: http` so Envoy balances requests rather than connections,
 * with a per-request timeout above the gateway's router budget); health is reached only by the
 * gateway's admin debug routes (HEALTH_URL). Plus the one-off migration task the deploy runs before services update.
 */
export class Services extends Construct {
  readonly cluster: ecs.Cluster
  readonly gateway: ecs.FargateService
  readonly router: ecs.FargateService
  readonly health: ecs.FargateService
  readonly gatewayScaling: ecs.ScalableTaskCount
  readonly migrationTask: ecs.FargateTaskDefinition
  readonly logGroups: Record<App | 'migration', logs.LogGroup>

  constructor (scope: Construct, id: string, p: SwitchyardParams, net: Network, data: DataStores, secrets: Secrets) {
    super(scope, id)
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: net.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED })
    this.cluster.addDefaultCloudMapNamespace({ name: NAMESPACE, useForServiceConnect: true })
    const t = p.timeouts
    const logGroup = (name: string) => new logs.LogGroup(this, `Logs-${name}`, {
      logGroupName: `/${p.name}/${name}`,
      retention: p.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN
    })
    this.logGroups = { gateway: logGroup('gateway'), 'proxy-router': logGroup('proxy-router'), health: logGroup('health'), migration: logGroup('migration') }
    const repos = new Map<App, ecr.IRepository>()
    const image = (app: App) => {
      const repo = repos.get(app) ?? ecr.Repository.fromRepositoryName(this, `Repo-${app}`, `${p.name}-${app}`)
      repos.set(app, repo)
      return ecs.ContainerImage.fromEcrRepository(repo, p.imageTag)
    }
    const dbPassword = ecs.Secret.fromSecretsManager(data.database.secret ?? missing('database secret'), 'password')
    const common = {
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      KEEP_ALIVE_TIMEOUT_MS: String(t.keepAliveTimeoutMs),
      SHUTDOWN_GRACE_MS: String(t.shutdownGraceMs),
      METRICS_PORT: String(METRICS_PORT)
    }

    const task = (app: App, size: ServiceSize, environment: Record<string, string>, taskSecrets: Record<string, ecs.Secret>) => {
      const def = new ecs.FargateTaskDefinition(this, `Task-${app}`, {
        cpu: size.cpu,
        memoryLimitMiB: size.memoryMiB,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX }
      })
      def.addContainer(app, {
        image: image(app),
        environment: { ...common, PORT: String(PORTS[app]), ...environment },
        secrets: taskSecrets,
        portMappings: [{ name: app, containerPort: PORTS[app], appProtocol: ecs.AppProtocol.http }],
        logging: ecs.LogDrivers.awsLogs({ streamPrefix: app, logGroup: this.logGroups[app] }),
        stopTimeout: Duration.seconds(t.stopTimeoutS),
        healthCheck: {
          command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${PORTS[app]}/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
          interval: Duration.seconds(10),
          timeout: Duration.seconds(3),
          startPeriod: Duration.seconds(30),
          retries: 3
        }
      })
      addMetricsSidecar(def, app, this.logGroups[app])
      return def
    }

    const service = (app: App, size: ServiceSize, def: ecs.FargateTaskDefinition, securityGroup: typeof net.gateway, server: boolean) => {
      const svc = new ecs.FargateService(this, `Service-${app}`, {
        cluster: this.cluster,
        serviceName: `${p.name}-${app}`,
        taskDefinition: def,
        desiredCount: size.minTasks,
        securityGroups: [securityGroup],
        vpcSubnets: { subnetGroupName: 'app' },
        circuitBreaker: { rollback: true },
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        serviceConnectConfiguration: server
          ? {
              namespace: NAMESPACE,
              services: [{
                portMappingName: app,
                discoveryName: app,
                dnsName: app,
                port: PORTS[app],
                perRequestTimeout: Duration.seconds(t.serviceConnectRequestTimeoutS),
                idleTimeout: Duration.seconds(t.serviceConnectRequestTimeoutS)
              }]
            }
          : { namespace: NAMESPACE }
      })
      const scaling = svc.autoScaleTaskCount({ minCapacity: size.minTasks, maxCapacity: size.maxTasks })
      scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, scaleOutCooldown: Duration.seconds(60), scaleInCooldown: Duration.seconds(300) })
      return { svc, scaling }
    }

    const internal = ecs.Secret.fromSecretsManager(secrets.internalToken)
    // Gateway and router accept it on their read-only internal routes; health holds only this one.
    const healthToken = ecs.Secret.fromSecretsManager(secrets.healthToken)
    const gatewayTask = task('gateway', p.gateway, {
      DATABASE_URL: data.databaseUrl,
      DB_POOL_MAX: String(p.dbPoolMaxPerTask),
      REDIS_URL: data.redisUrl,
      ROUTER_URL: `http://proxy-router:${PORTS['proxy-router']}`,
      ROUTER_HEADERS_TIMEOUT_MS: String(t.gatewayRouterBudgetMs),
      // Must equal the router's: the gateway checks its router budget against it at boot.
      ROUTER_TOTAL_TIMEOUT_MS: String(t.routerTotalTimeoutMs),
      TRUST_PROXY: '1',
      // GET /v1/debug/config and /v1/debug/bundle read health's report and masked config.
      HEALTH_URL: `http://health:${PORTS.health}`
    }, { ADMIN_TOKEN: ecs.Secret.fromSecretsManager(secrets.adminToken), INTERNAL_TOKEN: internal, HEALTH_TOKEN: healthToken, PGPASSWORD: dbPassword })
    const routerTask = task('proxy-router', p.router, {
      ROUTER_TOTAL_TIMEOUT_MS: String(t.routerTotalTimeoutMs),
      PROVIDER_HEADERS_TIMEOUT_MS: String(t.providerHeadersTimeoutMs)
    }, {
      INTERNAL_TOKEN: internal,
      HEALTH_TOKEN: healthToken,
      ROUTES_JSON: ecs.Secret.fromSsmParameter(secrets.routes),
      ...Object.fromEntries([...secrets.providerKeys].map(([env, secret]) => [env, ecs.Secret.fromSecretsManager(secret)]))
    })
    const healthTask = task('health', p.health, {
      DATABASE_URL: data.databaseUrl,
      DB_POOL_MAX: '2',
      REDIS_URL: data.redisUrl,
      GATEWAY_URL: `http://gateway:${PORTS.gateway}`,
      ROUTER_URL: `http://proxy-router:${PORTS['proxy-router']}`
    }, { HEALTH_TOKEN: healthToken, PGPASSWORD: dbPassword })

    // The router first: gateway and health are its Service Connect clients.
    const router = service('proxy-router', p.router, routerTask, net.router, true)
    const gateway = service('gateway', p.gateway, gatewayTask, net.gateway, true)
    const health = service('health', p.health, healthTask, net.health, true)
    gateway.svc.node.addDependency(router.svc)
    health.svc.node.addDependency(gateway.svc)
    this.router = router.svc
    this.gateway = gateway.svc
    this.health = health.svc
    this.gatewayScaling = gateway.scaling

    this.migrationTask = new ecs.FargateTaskDefinition(this, 'Task-migration', {
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX }
    })
    this.migrationTask.addContainer('migrate', {
      image: image('gateway'),
      command: ['node', 'node_modules/@switchyard/db/dist/bin/migrate.js'],
      environment: { DATABASE_URL: data.databaseUrl },
      secrets: { PGPASSWORD: dbPassword },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'migrate', logGroup: this.logGroups.migration })
    })
  }
}

function missing (what: string): never {
  throw new Error(`${what} was not created`)
}
