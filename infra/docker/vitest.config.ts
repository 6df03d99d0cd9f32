import { defineConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.js'

// Pruning, installing and building three services takes minutes on two cores.
export default defineConfig({ test: { ...sharedTestConfig, testTimeout: 600_000, hookTimeout: 600_000 } })
