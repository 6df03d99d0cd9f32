import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The production image's command: the last exec-form `CMD [...]` line of infra/docker/Dockerfile
 * in `root` (an indented `CMD` belongs to the HEALTHCHECK), or undefined when there is none.
 */
export function imageCommand (root: string): string[] | undefined {
  const file = join(root, 'infra/docker/Dockerfile')
  if (!existsSync(file)) return undefined
  const line = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('CMD [')).at(-1)
  return line === undefined ? undefined : JSON.parse(line.slice('CMD '.length)) as string[]
}

/**
 * The Node flags a service runs with in production: those of the image's command
 * (`CMD ["node", ...flags, "dist/server.js"]`), so `pnpm start` and `pnpm bench` run the built
 * services as their containers do, from the one place they are set (docs/adr/0033). A checkout
 * without that Dockerfile (an older baseline) has none.
 */
export function productionNodeFlags (root: string): string[] {
  return (imageCommand(root) ?? []).filter((arg) => arg.startsWith('--'))
}
