export { loadConfig, ConfigError, describeConfigErrors, type Env } from './load-config.js'
export { LogEnv, HttpEnv, DatabaseEnv, RedisEnv, InternalAuthEnv, HealthAuthEnv, MetricsEnv } from './fragments.js'
export {
  timeoutDefaults,
  brokenRule,
  checkTimeoutBudget,
  loadBalancerRule,
  gatewayRouterRule,
  routerAttemptRule,
  shutdownRule,
  keepAliveRule,
  gatewayTimeoutRules,
  routerTimeoutRules,
  type BudgetRule
} from './timeout-budget.js'
export { loadDevSecrets, applyDevEnv, findRepoRoot, devDataDir, type DevSecrets } from './dev-defaults.js'
export { loadEnvFileIfPresent } from './env-file.js'
export {
  secret,
  secretUrl,
  notSecret,
  secretKindOf,
  secretNamePattern,
  maskSecret,
  maskUrl,
  maskConfig,
  shortHash,
  unmarkedSecretLookingNames,
  type SecretKind,
  type MaskedSecret,
  type MaskedUrl,
  type MaskedValue
} from './secrets.js'
