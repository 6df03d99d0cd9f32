import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))

/**
 * A child process that logs through the services' stdout destination, then ends as `ending`
 * says. Resolves with its stdout lines, and which of them arrived while it was still running.
 */
async function runChild (ending: string): Promise<{ lines: string[], beforeExit: string[], code: number | null }> {
  const script = `
    import { pino } from 'pino'
    import { buildLoggerOptions } from './src/index.ts'
    const options = buildLoggerOptions({ service: 'test', version: '0', level: 'info', pretty: false })
    const log = pino(options, options.stream)
    for (let i = 0; i < 3; i++) log.info({ i }, 'line ' + i)
    ${ending}
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let beforeExit: string[] = []
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  const closed = new Promise((resolve) => child.on('close', resolve))
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => { beforeExit = out.split('\n').filter(Boolean); resolve(c) })
  })
  await closed
  return { lines: out.split('\n').filter(Boolean), beforeExit, code }
}

describe('the services\' stdout log destination (buffered)', () => {
  it('writes every line that was logged when the process exits at once', async () => {
    const { lines, code } = await runChild('process.exit(0)')
    expect(code).toBe(0)
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['line 0', 'line 1', 'line 2'])
  })

  it('writes every line that was logged before a crash', async () => {
    const { lines, code } = await runChild("setImmediate(() => { throw new Error('boom') })")
    expect(code).not.toBe(0)
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['line 0', 'line 1', 'line 2'])
  })

  it('does not hold lines back while the process idles', async () => {
    // The process lives on for 3 s after logging; its lines must reach stdout before it exits.
    const { beforeExit } = await runChild('setTimeout(() => {}, 3000)')
    expect(beforeExit.map((l) => JSON.parse(l).msg)).toEqual(['line 0', 'line 1', 'line 2'])
  })
})
