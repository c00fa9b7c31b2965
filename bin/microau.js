#!/usr/bin/env node
// The `microau` command: runs the TypeScript CLI through tsx, so it works straight after
// `npm install` with no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/index.ts')
