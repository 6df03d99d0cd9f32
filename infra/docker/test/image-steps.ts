import { execFile } from 'node:child_process'
import { cpSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const repoRoot = new URL('../../../', import.meta.url).pathname

async function sh (cwd: string, command: string, args: string[]): Promise<void> {
  try {
    await run(command, args, { cwd, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', CI: 'true' }, maxBuffer: 64 * 1024 * 1024 })
  } catch (err) {
    const e = err as { stdout?: string, stderr?: string, message: string }
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.message}\n${(e.stdout ?? '').slice(-3000)}\n${(e.stderr ?? '').slice(-3000)}`)
  }
}

/**
 * What infra/docker/Dockerfile does, step for step, without a container engine: prune the
 * workspace to the apps, install from the frozen lockfile, copy the sources and the root
 * tsconfig, build with turbo, then `pnpm deploy --prod --legacy` each app into its own folder —
 * the folder that becomes the image's /app. One prune serves the three apps here (the Dockerfile
 * prunes per app) so the steps run once instead of three times.
 */
export async function buildDeployOutputs (work: string, apps: string[]): Promise<Record<string, string>> {
  const pruned = join(work, 'pruned')
  await sh(repoRoot, 'pnpm', ['exec', 'turbo', 'prune', ...apps.map((a) => `@switchyard/${a}`), '--docker', '--out-dir', pruned])
  const root = join(pruned, 'json')
  cpSync(join(repoRoot, '.npmrc'), join(root, '.npmrc'))
  await sh(root, 'pnpm', ['install', '--frozen-lockfile', '--prefer-offline'])
  cpSync(join(pruned, 'full'), root, { recursive: true })
  cpSync(join(repoRoot, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'))
  await sh(root, 'pnpm', ['exec', 'turbo', 'run', 'build', ...apps.map((a) => `--filter=@switchyard/${a}`)])
  const outputs: Record<string, string> = {}
  for (const app of apps) {
    const out = join(work, `deploy-${app}`)
    await sh(root, 'pnpm', ['--filter', `@switchyard/${app}`, 'deploy', '--prod', '--legacy', out])
    if (!existsSync(join(out, 'dist', 'server.js'))) throw new Error(`${app}: deploy output has no dist/server.js`)
    outputs[app] = out
  }
  return outputs
}
