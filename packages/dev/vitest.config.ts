import { defineConfig } from 'vitest/config'
import { sharedTestConfig } from '../../vitest.shared.js'

// Each test runs whole stacks of processes: give them time on a busy 2-core machine.
export default defineConfig({ test: { ...sharedTestConfig, testTimeout: 240_000 } })
