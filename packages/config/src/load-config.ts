import envSchema from 'env-schema'
import type { Static, TObject } from '@sinclair/typebox'

/**
 * Thrown when the environment does not satisfy a service's schema. Boot code prints the message
 * and exits non-zero; the message lists every offending variable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export type Env = Record<string, string | undefined>

/**
 * Validates `env` against a TypeBox schema once, applies defaults and coerces types, and returns
 * a frozen object. Only `server.ts`/`dev.ts` pass `process.env`; tests build configs literally.
 * @see https://github.com/fastify/env-schema
 */
export function loadConfig<S extends TObject> (schema: S, env: Env): Readonly<Static<S>> {
  // Empty strings mean "unset" in .env files and ECS task definitions alike.
  const data: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') data[key] = value
  }
  try {
    // env: false — validate exactly what the caller passed; env-schema would otherwise merge
    // process.env underneath, leaking the shell's DATABASE_URL into "literal" test configs.
    const parsed = envSchema<Static<S>>({ schema, data, env: false, dotenv: false })
    return Object.freeze(parsed)
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${(err as Error).message}`, { cause: err })
  }
}
