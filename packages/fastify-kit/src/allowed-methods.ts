import type { FastifyInstance } from 'fastify'

interface RoutePattern { regex: RegExp, methods: Set<string> }

function toRegex (url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

/**
 * Remembers every route's path and methods (onRoute), so the not-found handler can tell "no such
 * path" (404) from "this path, another method" (405 + Allow). Only unmatched requests pay for the
 * lookup. Must be called before routes are registered.
 */
export function trackAllowedMethods (app: FastifyInstance): (path: string) => string[] {
  const patterns = new Map<string, RoutePattern>()
  app.addHook('onRoute', (route) => {
    const entry = patterns.get(route.url) ?? { regex: toRegex(route.url), methods: new Set<string>() }
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) entry.methods.add(m)
    patterns.set(route.url, entry)
  })
  return (path) => {
    const allowed = new Set<string>()
    for (const { regex, methods } of patterns.values()) {
      if (regex.test(path)) for (const m of methods) allowed.add(m)
    }
    return [...allowed].sort()
  }
}
