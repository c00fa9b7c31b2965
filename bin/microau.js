#!/usr/bin/env node
// The `microau` command. Runs the compiled CLI in out/cli (`npm run build:cli`, which npm's
// `prepare` runs at install) when it matches the sources; otherwise, e.g. after editing a
// source, runs the TypeScript through tsx (a development tool) so no stale code ever runs.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { builtCliEntry } from './built-cli.js'

const built = builtCliEntry(path.resolve(import.meta.dirname, '..'))
if (built) {
  await import(pathToFileURL(built).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/index.ts')
}
