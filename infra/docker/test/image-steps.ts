import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export const repoRoot = new URL('../../../', import.meta.url).pathname

/**
 * The environment of a fresh build: this test itself runs inside `turbo run test`, and a turbo
 * started with the outer run's TURBO_* variables (and its daemon) waits on that run instead of
 * building the pruned workspace.
 */
function cleanEnv (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TURBO_') && !name.startsWith('npm_') && !name.startsWith('PNPM_SCRIPT')) env[name] = value
  }
  // `pnpm deploy --legacy` reads package metadata from the registry, so it needs the machine's
  // registry settings (~/.npmrc via HOME) and CA/proxy variables; turbo.json passes those
  // through its strict environment mode, and HOME is filled in here if it is still missing.
  return { ...env, HOME: env['HOME'] ?? homedir(), TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1', CI: 'true' }
}

async function sh (cwd: string, command: string, args: string[]): Promise<void> {
  // stdin closed: pnpm and turbo must never wait on a prompt or a pipe nobody writes to.
  const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-6000) }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
  const [code, signal] = await once(child, 'exit') as [number | null, string | null]
  clearTimeout(timer)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${code ?? signal ?? '?'}):\n${output}`)
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
  await sh(root, 'pnpm', ['exec', 'turbo', 'run', 'build', '--no-daemon', ...apps.map((a) => `--filter=@switchyard/${a}`)])
  const outputs: Record<string, string> = {}
  for (const app of apps) {
    const out = join(work, `deploy-${app}`)
    await sh(root, 'pnpm', ['--filter', `@switchyard/${app}`, 'deploy', '--prod', '--legacy', out])
    if (!existsSync(join(out, 'dist', 'server.js'))) throw new Error(`${app}: deploy output has no dist/server.js`)
    outputs[app] = out
  }
  return outputs
}
