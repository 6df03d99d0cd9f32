import envSchema from 'env-schema'
import type { Static, TObject } from '@sinclair/typebox'

/**
 * Thrown when the environment does not satisfy a service's schema. Boot code prints the message
 * as one line and exits non-zero; the message names every offending variable (never its value,
 * which may be a secret).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export type Env = Record<string, string | undefined>

interface AjvError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

/** The values a TypeBox union of literals allows, e.g. LOG_LEVEL's levels. */
function allowedValues (schema: TObject, name: string): string[] | undefined {
  const property = schema.properties[name] as { anyOf?: Array<{ const?: unknown }> } | undefined
  const values = property?.anyOf?.map((s) => s.const).filter((v) => v !== undefined)
  return values !== undefined && values.length > 0 ? values.map(String) : undefined
}

/**
 * One short phrase per offending variable: "INTERNAL_TOKEN is required", "PORT must be <= 65535",
 * "LOG_LEVEL must be one of …". Ajv reports a union once per member; those collapse to one.
 */
export function describeConfigErrors (schema: TObject, errors: readonly AjvError[]): string {
  const byName = new Map<string, string>()
  for (const e of errors) {
    if (e.keyword === 'required') {
      const name = String(e.params['missingProperty'])
      byName.set(name, `${name} is required but not set`)
      continue
    }
    const name = e.instancePath.replace(/^\//, '') || '(environment)'
    const allowed = allowedValues(schema, name)
    if (allowed !== undefined) {
      byName.set(name, `${name} must be one of ${allowed.join(', ')}`)
    } else if (!byName.has(name)) {
      byName.set(name, `${name} ${e.message ?? 'is invalid'}`)
    }
  }
  return [...byName.values()].join('; ')
}

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
    const errors = (err as { errors?: AjvError[] }).errors
    const detail = Array.isArray(errors) && errors.length > 0 ? describeConfigErrors(schema, errors) : (err as Error).message
    throw new ConfigError(`Invalid configuration: ${detail}`, { cause: err })
  }
}
