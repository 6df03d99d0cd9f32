// Writes docs/errors.md from the catalogue: `pnpm --filter @switchyard/errors docs`.
import { writeFileSync } from 'node:fs'
import { renderErrorsDoc } from '../src/render-docs.js'

writeFileSync(new URL('../../../docs/errors.md', import.meta.url), renderErrorsDoc())
