import { Type } from '@sinclair/typebox'
import { DatabaseEnv, loadConfig } from '@switchyard/config'
import { describe, expect, it } from 'vitest'
import { DEFAULT_POOL_CONFIG, poolConfigFromEnv } from '../src/index.js'

const schema = Type.Object(DatabaseEnv)

describe('pool configuration from the environment', () => {
  it('an empty environment yields the documented defaults', () => {
    expect(poolConfigFromEnv(loadConfig(schema, {}))).toEqual(DEFAULT_POOL_CONFIG)
    expect(DEFAULT_POOL_CONFIG).toEqual({ max: 10, connectTimeoutS: 5, idleTimeoutS: 30, maxLifetimeS: 1800, statementTimeoutS: 10, queryTimeoutMs: 5000 })
  })

  it('maps DB_POOL_MAX, DB_CONNECT_TIMEOUT_S, DB_IDLE_TIMEOUT_S, DB_MAX_LIFETIME_S, DB_STATEMENT_TIMEOUT_S and DB_QUERY_TIMEOUT_MS', () => {
    const cfg = loadConfig(schema, {
      DB_POOL_MAX: '4',
      DB_CONNECT_TIMEOUT_S: '2',
      DB_IDLE_TIMEOUT_S: '20',
      DB_MAX_LIFETIME_S: '600',
      DB_STATEMENT_TIMEOUT_S: '3',
      DB_QUERY_TIMEOUT_MS: '1500'
    })
    expect(poolConfigFromEnv(cfg)).toEqual({ max: 4, connectTimeoutS: 2, idleTimeoutS: 20, maxLifetimeS: 600, statementTimeoutS: 3, queryTimeoutMs: 1500 })
  })
})
