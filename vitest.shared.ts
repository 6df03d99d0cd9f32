// Shared Vitest defaults: every package's vitest.config.ts spreads these. Deliberately not typed
// with Vitest's own types: pnpm may install one Vitest per set of optional peers, and a type from
// the root's copy is not assignable to a package's copy. Each package's defineConfig checks it.
export const sharedTestConfig = {
  environment: 'node',
  include: ['test/**/*.test.ts'],
  globalSetup: [new URL('./vitest.global-setup.ts', import.meta.url).pathname],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // 2-core machines: keep suites from starving each other's timers.
  pool: 'forks' as const,
  maxWorkers: 2
}
