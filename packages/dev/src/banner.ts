import type { Mode, Plan } from './services.js'

export interface BannerInput {
  mode: Mode
  plan: Plan
  models: string[]
  dataDir: string
  env: Record<string, string | undefined>
  /** Development only: the generated API key, and the admin token unless the user chose one. */
  apiKey?: string
  generatedAdminToken?: string
}

/** What `pnpm dev` / `pnpm start` prints once every service answers its readiness check. */
export function renderBanner (b: BannerInput): string {
  const { ports } = b.plan
  const url = (port: number) => `http://127.0.0.1:${port}`
  const gateway = url(ports.GATEWAY_PORT)
  const lines = [
    '',
    `Switchyard is running (${b.mode === 'dev' ? 'development, watching src/ for changes' : 'built services'})`,
    `  gateway        ${gateway}/v1   <- OpenAI baseURL`,
    `  proxy-router   ${url(ports.ROUTER_PORT)} (internal)`,
    `  health         ${url(ports.HEALTH_PORT)}/v1/health`
  ]
  if (b.mode === 'dev') lines.push(`  mock provider  ${url(ports.MOCK_PROVIDER_PORT)}/v1`)
  lines.push(
    `  routing table  ${b.plan.routesFile ?? '(ROUTES_FILE)'}`,
    `  models         ${b.models.length > 0 ? b.models.join(', ') : '(none)'}`,
    `  database       ${b.env['DATABASE_URL'] ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${b.dataDir}/pglite (single instance)`}`,
    `  rate limits    ${b.env['REDIS_URL'] ? 'Redis (REDIS_URL)' : 'in process memory (single instance)'}`
  )
  if (b.generatedAdminToken !== undefined) {
    lines.push(`  admin token    ${b.generatedAdminToken}   (generated; set ADMIN_TOKEN to choose your own)`)
  } else if (b.env['ADMIN_TOKEN']) {
    lines.push('  admin token    your ADMIN_TOKEN')
  }
  const model = b.models[0] ?? 'MODEL'
  if (b.apiKey !== undefined) {
    lines.push(
      `  API key        ${b.apiKey}`,
      '',
      'Try it:',
      `  curl -s ${gateway}/v1/chat/completions -H "Authorization: Bearer ${b.apiKey}" \\`,
      `    -H 'content-type: application/json' -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`,
      `  (development secrets live in ${b.dataDir}/dev-secrets.json; delete it to start over)`
    )
  } else {
    lines.push(
      '',
      'Create an API key with your ADMIN_TOKEN:',
      `  curl -s ${gateway}/v1/api-keys -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{"name":"my-app"}'`
    )
  }
  lines.push(`Stop with Ctrl-C: the gateway drains first, then the router and health${b.mode === 'dev' ? ', the mock provider last' : ''}.`, '')
  return lines.join('\n')
}
