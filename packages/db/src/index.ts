// Public API of @switchyard/db. Table objects and row types are also at `@switchyard/db/schema`.
export { createDb, type CreateDbOptions } from './client.js'
export { runMigrations, type MigrationResult } from './migrate.js'
export type { Database, DbHandle, DbKind } from './database.js'
export { DEFAULT_POOL_CONFIG, poolConfigFromEnv, type PoolConfig, type DatabasePoolEnv } from './pool-config.js'
export { DbQueryTimeoutError } from './query-deadline.js'
export { pgErrorOf, isUniqueViolation, UNIQUE_VIOLATION, type PgErrorInfo } from './pg-error.js'
export { describeUrl } from './postgres-client.js'
export * from './schema/index.js'
