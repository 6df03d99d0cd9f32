import { fileURLToPath } from 'node:url'
import { makeTempDir } from '@switchyard/testing'
import { describe, expect, it } from 'vitest'
import { planServices } from '../src/services.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

function routerEnv (env: Record<string, string>): Record<string, string> {
  const plan = planServices({ mode: 'dev', root, callerCwd: root, dataDir: makeTempDir('dev-plan'), env })
  const router = plan.services.find((s) => s.name === 'proxy-router')
  if (router === undefined) throw new Error('no proxy-router in the plan')
  return router.env
}

describe('the routing table pnpm dev gives the router', () => {
  it('is the committed development table by default', () => {
    expect(routerEnv({})['ROUTES_FILE']).toMatch(/apps\/proxy-router\/config\/routes\.dev\.json$/)
  })

  it('is the caller\'s ROUTES_JSON alone when set (the router refuses both)', () => {
    const env = routerEnv({ ROUTES_JSON: '{"providers":{},"models":{}}' })
    expect(env['ROUTES_JSON']).toBe('{"providers":{},"models":{}}')
    expect(env['ROUTES_FILE']).toBeUndefined()
  })
})
