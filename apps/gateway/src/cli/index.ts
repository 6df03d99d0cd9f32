#!/usr/bin/env node
// `pnpm switchyard <command>`: the operator CLI for plans, users and keys against DATABASE_URL.
// The only place the CLI reads process state; everything else is in run.ts.
import { runCli } from './run.js'

const code = await runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n')
})
process.exitCode = code
