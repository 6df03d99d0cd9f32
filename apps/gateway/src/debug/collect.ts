import { maskConfig } from '@switchyard/config'
import { scrubText } from '@switchyard/fastify-kit'
import type { FastifyInstance } from 'fastify'
import { GatewayEnvSchema, type GatewayConfig } from '../config.js'
import { recentFailedRequests } from '../repositories/failed-requests.js'
import { fetchPeer, type PeerAnswer } from './fetch-peer.js'

// What GET /v1/debug/config and /v1/debug/bundle gather (docs/debugging.md). Every peer is asked
// once, in parallel, with a short deadline; a peer that cannot answer is a section
// `{ "error": "<code>" }`, never a failed request.

/** One attempt per peer call; short, because an operator is waiting and the answer is diagnostic. */
export const PEER_TIMEOUT_MS = 3000
/** The support bundle's failed requests: the newest this many, from at most this far back. */
export const FAILED_REQUESTS_LIMIT = 100
export const FAILED_REQUESTS_WINDOW_MS = 7 * 24 * 3600_000

export type Section = Record<string, unknown>
export type ServiceName = 'gateway' | 'proxy-router' | 'health'

const errorSection = (error: string): Section => ({ error })
const sectionOf = (answer: PeerAnswer): Section =>
  answer.ok ? (typeof answer.body === 'object' && answer.body !== null ? answer.body as Section : errorSection('INVALID_JSON')) : errorSection(answer.error)

/**
 * Strings from peers pass through the same scrub as error tracking (bearer tokens, sk-… keys,
 * key=… pairs): a provider's error text may quote part of a key, and the bundle is meant to be
 * handed around.
 */
export function scrubDeep (value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value)
  if (Array.isArray(value)) return value.map(scrubDeep)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v)]))
  return value
}

/** The gateway's own section: computed from the frozen config, secrets masked. */
export function gatewaySection (config: GatewayConfig): Section {
  return { service: 'gateway', version: config.version, node: process.version, config: maskConfig(GatewayEnvSchema, config) }
}

interface Ask { app: FastifyInstance, config: GatewayConfig, requestId: string, signal: AbortSignal }

const routerGet = async (a: Ask, path: string): Promise<PeerAnswer> =>
  await fetchPeer(a.app.router, { path, headers: { 'x-internal-token': a.config.INTERNAL_TOKEN, 'x-request-id': a.requestId }, timeoutMs: PEER_TIMEOUT_MS, signal: a.signal })

async function healthConfig (a: Ask): Promise<Section> {
  // Without HEALTH_TOKEN there is nothing to present: say so instead of collecting a 401.
  if (a.config.HEALTH_TOKEN === undefined) return errorSection('HEALTH_TOKEN_NOT_SET')
  return sectionOf(await fetchPeer(a.app.healthService, {
    path: '/internal/debug/config',
    headers: { 'x-internal-token': a.config.HEALTH_TOKEN, 'x-request-id': a.requestId },
    timeoutMs: PEER_TIMEOUT_MS,
    signal: a.signal
  }))
}

const versionOf = (section: Section | undefined): string | null => typeof section?.['version'] === 'string' ? section['version'] : null

/** Every service's effective configuration (secrets masked) and version. */
export async function collectConfig (a: Ask): Promise<{ versions: Record<ServiceName, string | null>, services: Record<ServiceName, Section> }> {
  const [router, health] = await Promise.all([routerGet(a, '/internal/debug/config').then(sectionOf), healthConfig(a)])
  const services: Record<ServiceName, Section> = { gateway: gatewaySection(a.config), 'proxy-router': router, health }
  return {
    versions: { gateway: a.config.version, 'proxy-router': versionOf(router), health: versionOf(health) },
    services
  }
}

/**
 * Cooldowns, provider states and recent upstream error groups: the router's /internal/providers,
 * or its older /internal/deployments (cooldowns only) when it does not serve that yet.
 */
async function routerState (a: Ask): Promise<Section> {
  const providers = await routerGet(a, '/internal/providers')
  if (providers.ok) return { source: '/internal/providers', ...sectionOf(providers) }
  if (providers.error !== 'NOT_FOUND') return errorSection(providers.error)
  const deployments = await routerGet(a, '/internal/deployments')
  return deployments.ok ? { source: '/internal/deployments', ...sectionOf(deployments) } : errorSection(deployments.error)
}

async function healthReport (a: Ask): Promise<Section> {
  // 503 is a report too (degraded): it is exactly what a support bundle is for.
  return sectionOf(await fetchPeer(a.app.healthService, { path: '/v1/health', headers: { 'x-request-id': a.requestId }, timeoutMs: PEER_TIMEOUT_MS, signal: a.signal, accept: [200, 503] }))
}

async function failedRequests (a: Ask, now: Date): Promise<Section> {
  const since = new Date(now.getTime() - FAILED_REQUESTS_WINDOW_MS)
  try {
    const requests = await recentFailedRequests(a.app.db, { limit: FAILED_REQUESTS_LIMIT, since })
    return { since: since.toISOString(), limit: FAILED_REQUESTS_LIMIT, requests }
  } catch (err) {
    a.app.log.warn({ err }, 'support bundle: failed requests could not be read')
    return errorSection('DATABASE_UNAVAILABLE')
  }
}

export interface SupportBundle {
  generatedAt: string
  versions: Record<ServiceName, string | null>
  config: Record<ServiceName, Section>
  health: Section
  router: Section
  failedRequests: Section
}

/** The support bundle: everything an operator attaches to a bug report, with every secret masked. */
export async function collectBundle (a: Ask, now: Date = new Date()): Promise<SupportBundle> {
  const [config, health, router, failed] = await Promise.all([collectConfig(a), healthReport(a), routerState(a), failedRequests(a, now)])
  return {
    generatedAt: now.toISOString(),
    versions: config.versions,
    config: config.services,
    health: scrubDeep(health) as Section,
    router: scrubDeep(router) as Section,
    failedRequests: failed
  }
}
