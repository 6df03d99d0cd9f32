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
  },
  {
    // V8 allocates a function literal assigned straight to a property in the old generation,
    // where it keeps its request alive through every young-generation collection
    // (docs/adr/0031-no-function-literal-stored-in-a-property.md). Make it in a local first.
    files: ['apps/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "AssignmentExpression[left.type='MemberExpression'] > :matches(ArrowFunctionExpression, FunctionExpression).right",
        message: 'Make the function in a local, then assign it: V8 puts a function literal assigned to a property in the old generation (docs/adr/0031).'
      }]
    }
  }
]
