import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { productionNodeFlags } from './production-node-flags.js'

export type Mode = 'dev' | 'start'
export type ServiceName = 'mock-provider' | 'proxy-router' | 'gateway' | 'health'

/** One process the supervisor runs. */
export interface ServiceSpec {
  name: ServiceName
  /** Working directory (the package folder). */
  cwd: string
  /** Arguments for `node`. */
  args: string[]
  env: Record<string, string>
  port: number
  /** The supervisor's variable for that port (a service's own advice says PORT). */
  portSetting: PortSetting
  /** Answers 200 once the service takes traffic; `anyStatus` when any HTTP answer will do (the mock). */
  ready: { path: string, anyStatus: boolean }
  /** Watched for changes in dev (the service restarts). */
  watchDir?: string
}

/**
 * Shutdown order: the gateway stops taking requests first and drains its streams; then the
 * router and health, which the gateway's in-flight requests were still using; the mock provider
 * last, so streams really finish instead of being cut at their source.
 */
export const STOP_ORDER: ServiceName[][] = [['gateway'], ['proxy-router', 'health'], ['mock-provider']]

export const DEFAULT_PORTS = { GATEWAY_PORT: 8080, ROUTER_PORT: 8081, HEALTH_PORT: 8082, MOCK_PROVIDER_PORT: 8090 } as const
export type PortSetting = keyof typeof DEFAULT_PORTS
export type Ports = Record<PortSetting, number>

/** Thrown for the supervisor's own settings; printed as one line. */
export class SupervisorConfigError extends Error {}

export function readPorts (env: Record<string, string | undefined>): Ports {
  const ports = { ...DEFAULT_PORTS } as Ports
  for (const name of Object.keys(DEFAULT_PORTS) as PortSetting[]) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    const port = Number(raw)
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SupervisorConfigError(`${name} must be a port number from 1 to 65535`)
    }
    ports[name] = port
  }
  const seen = new Map<number, string>()
  for (const [name, port] of Object.entries(ports)) {
    const other = seen.get(port)
    if (other !== undefined) throw new SupervisorConfigError(`${name} and ${other} are both ${port}; every service needs its own port`)
    seen.set(port, name)
  }
  return ports
}

/** A path the user gave relative to where they ran `pnpm dev` (pnpm's INIT_CWD). */
export function fromCaller (callerCwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(callerCwd, path)
}

const DEV_ROUTES = 'apps/proxy-router/config/routes.dev.json'
const DEV_MOCK_ORIGIN = 'http://127.0.0.1:8090'

/**
 * The development routing table: the committed one when the mock runs on its usual port,
 * otherwise a copy under the data directory pointing at the mock's port.
 */
function devRoutesFile (root: string, dataDir: string, mockPort: number): string {
  const committed = join(root, DEV_ROUTES)
  if (mockPort === DEFAULT_PORTS.MOCK_PROVIDER_PORT) return committed
  mkdirSync(dataDir, { recursive: true })
  const copy = join(dataDir, `routes.dev.${mockPort}.json`)
  writeFileSync(copy, readFileSync(committed, 'utf8').replaceAll(DEV_MOCK_ORIGIN, `http://127.0.0.1:${mockPort}`))
  return copy
}

export interface PlanInput {
  mode: Mode
  root: string
  callerCwd: string
  dataDir: string
  env: Record<string, string | undefined>
}

export interface Plan {
  services: ServiceSpec[]
  ports: Ports
  routesFile: string | undefined
}

/** Which processes to run, with which environment, for `pnpm dev` or `pnpm start`. */
export function planServices (input: PlanInput): Plan {
  const { mode, root, callerCwd, dataDir, env } = input
  const ports = readPorts(env)
  const local = (port: number) => `http://127.0.0.1:${port}`
  let routesFile = env['ROUTES_FILE'] !== undefined && env['ROUTES_FILE'] !== '' ? fromCaller(callerCwd, env['ROUTES_FILE']) : undefined
  if (routesFile !== undefined && !existsSync(routesFile)) {
    throw new SupervisorConfigError(`ROUTES_FILE ${routesFile} does not exist (relative paths are resolved from ${callerCwd}, where you ran the command)`)
  }
  // A ROUTES_JSON from the caller is the table (the router takes exactly one of the two).
  const routesJsonSet = env['ROUTES_JSON'] !== undefined && env['ROUTES_JSON'] !== ''
  if (routesFile === undefined && mode === 'dev' && !routesJsonSet) routesFile = devRoutesFile(root, dataDir, ports.MOCK_PROVIDER_PORT)

  // Children must not inherit a PORT meant for one of them, nor pnpm's INIT_CWD.
  const base: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== 'PORT' && key !== 'INIT_CWD') base[key] = value
  }
  base['DATA_DIR'] = dataDir
  if (routesFile !== undefined) base['ROUTES_FILE'] = routesFile

  // dev: TypeScript sources through tsx (dev.ts fills in development defaults); start: the build,
  // with the Node flags of the production image.
  const startFlags = mode === 'start' ? productionNodeFlags(root) : []
  const entry = (devEntry: string) => mode === 'dev' ? ['--import', 'tsx', `src/${devEntry}.ts`] : [...startFlags, 'dist/server.js']
  const app = (name: ServiceName, dir: string, portSetting: PortSetting, extra: Record<string, string>): ServiceSpec => ({
    name,
    cwd: join(root, dir),
    args: entry('dev'),
    env: { ...base, ...extra, PORT: String(ports[portSetting]) },
    port: ports[portSetting],
    portSetting,
    ready: { path: '/readyz', anyStatus: false },
    ...(mode === 'dev' ? { watchDir: join(root, dir, 'src') } : {})
  })

  const services: ServiceSpec[] = []
  if (mode === 'dev') {
    services.push({
      name: 'mock-provider',
      cwd: join(root, 'packages/mock-provider'),
      args: entry('server'),
      env: { ...base, MOCK_PROVIDER_HOST: '127.0.0.1', MOCK_PROVIDER_PORT: String(ports.MOCK_PROVIDER_PORT), LOG_PRETTY: 'true' },
      port: ports.MOCK_PROVIDER_PORT,
      portSetting: 'MOCK_PROVIDER_PORT',
      ready: { path: '/v1/models', anyStatus: true },
      watchDir: join(root, 'packages/mock-provider/src')
    })
  }
  services.push(
    app('proxy-router', 'apps/proxy-router', 'ROUTER_PORT', {}),
    app('gateway', 'apps/gateway', 'GATEWAY_PORT', { ROUTER_URL: local(ports.ROUTER_PORT), HEALTH_URL: local(ports.HEALTH_PORT) }),
    app('health', 'apps/health', 'HEALTH_PORT', { GATEWAY_URL: local(ports.GATEWAY_PORT), ROUTER_URL: local(ports.ROUTER_PORT) })
  )
  return { services, ports, routesFile }
}
