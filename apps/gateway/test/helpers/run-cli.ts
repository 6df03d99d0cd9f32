import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const gatewayDir = fileURLToPath(new URL('../..', import.meta.url))

export interface CliRun { code: number | null, stdout: string, stderr: string }

/**
 * Runs the operator CLI's real entry point (`src/cli/index.ts` under tsx) as a child process,
 * as `pnpm switchyard` would, with only the environment given (plus PATH).
 */
export async function runCliProcess (args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: gatewayDir,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  proc.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve))
  return { code, stdout, stderr }
}
