import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { productionNodeFlags } from '../src/production-node-flags.js'
import { planServices } from '../src/services.js'

function checkoutWithDockerfile (dockerfile: string): string {
  const root = makeTempDir('node-flags')
  mkdirSync(join(root, 'infra/docker'), { recursive: true })
  writeFileSync(join(root, 'infra/docker/Dockerfile'), dockerfile)
  return root
}

const dockerfile = [
  'FROM node:24-slim',
  'HEALTHCHECK --interval=10s \\',
  '  CMD ["node", "-e", "fetch(`http://127.0.0.1:8080/livez`)"]',
  'CMD ["node", "--max-old-space-size=1024", "--stack-trace-limit=20", "dist/server.js"]',
  ''
].join('\n')

describe('the production image\'s Node flags', () => {
  it('are the flags of the image\'s own command, not of its health check', () => {
    expect(productionNodeFlags(checkoutWithDockerfile(dockerfile))).toEqual(['--max-old-space-size=1024', '--stack-trace-limit=20'])
  })

  it('are none for a checkout without the Dockerfile (an older baseline)', () => {
    expect(productionNodeFlags(makeTempDir('node-flags'))).toEqual([])
  })

  it('are what `pnpm start` runs each built service with; `pnpm dev` keeps Node\'s defaults', () => {
    const root = checkoutWithDockerfile(dockerfile)
    const plan = (mode: 'dev' | 'start') => planServices({ mode, root, callerCwd: root, dataDir: makeTempDir('dev-plan'), env: { ROUTES_JSON: '{"providers":{},"models":{}}' } })
    for (const service of plan('start').services) {
      expect(service.args).toEqual(['--max-old-space-size=1024', '--stack-trace-limit=20', 'dist/server.js'])
    }
    for (const service of plan('dev').services) expect(service.args).not.toContain('--max-old-space-size=1024')
  })
})
