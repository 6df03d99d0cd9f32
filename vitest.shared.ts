// Shared Vitest defaults: every package's vitest.config.ts spreads these.
import type { ViteUserConfig } from 'vitest/config'

export const sharedTestConfig: ViteUserConfig['test'] = {
  environment: 'node',
  include: ['test/**/*.test.ts'],
  globalSetup: [new URL('./vitest.global-setup.ts', import.meta.url).pathname],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // 2-core machines: keep suites from starving each other's timers.
  pool: 'forks',
  maxWorkers: 2
}
