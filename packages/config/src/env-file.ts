import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from './load-config.js'

/**
 * Loads `<dir>/.env` into process.env when the file exists (Node's own parser, no dotenv).
 * Variables already set in the real environment win: Node never overwrites them, so an exported
 * variable, an ECS task definition or a CI secret always beats the file. Returns the file loaded;
 * a file that exists but cannot be read is a ConfigError.
 * @see https://nodejs.org/api/process.html#processloadenvfilepath
 */
export function loadEnvFileIfPresent (dir: string = process.cwd()): string | undefined {
  const file = join(dir, '.env')
  if (!existsSync(file)) return undefined
  try {
    process.loadEnvFile(file)
  } catch (err) {
    throw new ConfigError(`${file} could not be read: ${(err as Error).message}`, { cause: err })
  }
  return file
}
