import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The Node flags a service runs with in production: those of the image's command (the last
 * exec-form `CMD ["node", ...flags, "dist/server.js"]` of infra/docker/Dockerfile in `root`), so
 * `pnpm start` and `pnpm bench` run the built services as their containers do, from the one place
 * they are set (docs/adr/0033). A checkout without that Dockerfile (an older baseline) has none.
 */
export function productionNodeFlags (root: string): string[] {
  const file = join(root, 'infra/docker/Dockerfile')
  if (!existsSync(file)) return []
  const line = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('CMD [')).at(-1)
  if (line === undefined) return []
  const command = JSON.parse(line.slice('CMD '.length)) as string[]
  return command.filter((arg) => arg.startsWith('--'))
}
