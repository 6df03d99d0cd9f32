export { loadConfig, ConfigError, type Env } from './load-config.js'
export { LogEnv, HttpEnv, DatabaseEnv, RedisEnv, InternalAuthEnv, MetricsEnv } from './fragments.js'
export { loadDevSecrets, applyDevEnv, findRepoRoot, type DevSecrets } from './dev-defaults.js'
