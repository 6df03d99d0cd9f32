/** Size and count of one ECS service. */
export interface ServiceSize {
  /** Fargate CPU units (1024 = 1 vCPU). */
  cpu: number
  memoryMiB: number
  minTasks: number
  maxTasks: number
}

/**
 * Everything a deployment can set, with production defaults. Timeouts are in the units their
 * owners use (the services' env vars in ms, AWS settings in s) so they can be compared with the
 * services' own .env.example at a glance; the budget check (budget.ts) relates them.
 */
export interface SwitchyardParams {
  /** Prefix of every name (stack resources, secrets, log groups, ECR repositories). */
  name: string
  /** Image tag to run; images are built from infra/docker/Dockerfile and pushed by CI. */
  imageTag: string
  /** ACM certificate for the public HTTPS listener. */
  certificateArn: string
  maxAzs: number
  natGateways: number
  gateway: ServiceSize
  router: ServiceSize
  health: ServiceSize
  /** Environment variable names of provider keys the routing table refers to (`apiKeyEnv`). */
  providerKeyEnvs: string[]
  /** The routing table (JSON) delivered to the router as an SSM parameter. */
  routesJson: string
  database: { instanceType: string, multiAz: boolean, allocatedStorageGiB: number, maxConnections: number, backupRetentionDays: number }
  /** Connections per process (DB_POOL_MAX of gateway and health). */
  dbPoolMaxPerTask: number
  redis: { nodeType: string, replicas: number }
  timeouts: {
    /** ALB idle timeout: above the longest silence a client may see, below keep-alive. */
    albIdleTimeoutS: number
    /** Services' KEEP_ALIVE_TIMEOUT_MS. */
    keepAliveTimeoutMs: number
    /** Gateway → router: ROUTER_HEADERS_TIMEOUT_MS (the gateway's router budget). */
    gatewayRouterBudgetMs: number
    /** Router: ROUTER_TOTAL_TIMEOUT_MS (attempt phase, retries and fallbacks included). */
    routerTotalTimeoutMs: number
    /** Router → provider: PROVIDER_HEADERS_TIMEOUT_MS (one attempt's first byte). */
    providerHeadersTimeoutMs: number
    /** Service Connect per-request timeout (AWS default 15 s would cut long completions). */
    serviceConnectRequestTimeoutS: number
    /** Services' SHUTDOWN_GRACE_MS. */
    shutdownGraceMs: number
    /** ECS container stopTimeout (at most 120 s on Fargate). */
    stopTimeoutS: number
  }
  logRetentionDays: number
  /** Alarm thresholds. */
  alarms: { fiveXxRatePercent: number, p99LatencyS: number, providerErrorRatePercent: number, dbPoolSaturationPercent: number }
}

export const defaultParams: SwitchyardParams = {
  name: 'switchyard',
  imageTag: 'latest',
  certificateArn: '',
  maxAzs: 2,
  natGateways: 1,
  gateway: { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 10 },
  router: { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 10 },
  health: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 1 },
  providerKeyEnvs: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENROUTER_API_KEY'],
  routesJson: JSON.stringify({
    providers: { openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' } },
    models: { 'gpt-4o-mini': [{ provider: 'openai', model: 'gpt-4o-mini' }] }
  }),
  database: { instanceType: 'r6g.large', multiAz: true, allocatedStorageGiB: 100, maxConnections: 400, backupRetentionDays: 7 },
  dbPoolMaxPerTask: 10,
  redis: { nodeType: 'cache.r6g.large', replicas: 1 },
  timeouts: {
    albIdleTimeoutS: 240,
    keepAliveTimeoutMs: 245_000,
    gatewayRouterBudgetMs: 300_000,
    routerTotalTimeoutMs: 230_000,
    providerHeadersTimeoutMs: 180_000,
    serviceConnectRequestTimeoutS: 310,
    shutdownGraceMs: 110_000,
    stopTimeoutS: 120
  },
  logRetentionDays: 30,
  alarms: { fiveXxRatePercent: 5, p99LatencyS: 120, providerErrorRatePercent: 20, dbPoolSaturationPercent: 80 }
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] }
export type ParamOverrides = DeepPartial<SwitchyardParams>

/** Defaults with the given values on top (objects merged one level deep). */
export function resolveParams (overrides: ParamOverrides = {}): SwitchyardParams {
  const out: Record<string, unknown> = { ...defaultParams }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue
    const base = (defaultParams as unknown as Record<string, unknown>)[key]
    out[key] = typeof value === 'object' && !Array.isArray(value) && typeof base === 'object' && base !== null
      ? { ...base, ...value }
      : value
  }
  return out as unknown as SwitchyardParams
}
