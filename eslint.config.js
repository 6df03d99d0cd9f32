// One flat config for the whole monorepo: neostandard (the style fastify core and demo use)
// with TypeScript support. Type-aware rules are left for a later pass to keep lint fast on 2 cores.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['**/dist/**', '**/.cache/**', '**/coverage/**', '**/.data/**', '**/drizzle/meta/**']
  }),
  {
    rules: {
      // `void promise` marks a deliberately unawaited promise (fire-and-forget with its own catch).
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
