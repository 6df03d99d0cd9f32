import { defineConfig } from 'drizzle-kit'

// `pnpm --filter @switchyard/db exec drizzle-kit generate` diffs src/schema against the last
// snapshot in drizzle/meta and writes the next SQL migration. Generation needs no database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true
})
