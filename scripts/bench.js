#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts one after another (they measure speed, so
// never in parallel), each writing bench/results/<name>.md, then rebuilds BENCHMARKS.md.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const only = process.argv.slice(2)
const benches = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

let failed = 0
for (const file of benches) {
  console.error(`bench: ${file}`)
  const run = spawnSync('npx', ['tsx', path.join('bench', file)], { cwd: root, stdio: 'inherit' })
  if (run.status !== 0) failed++
}

const resultsDir = path.join(root, 'bench', 'results')
const sections = fs.existsSync(resultsDir)
  ? fs
      .readdirSync(resultsDir)
      .filter((f) => f.endsWith('.md'))
      .sort()
  : []
const header = [
  '# Benchmarks',
  '',
  'Measured by `npm run bench` (one section per `bench/*.bench.ts`; `npm run bench -- NAME` runs',
  'one). Each section carries its own date, machine and Node version. Speed targets are checked',
  'here, never by timed assertions in tests.',
  '',
]
const body = sections.map((f) => fs.readFileSync(path.join(resultsDir, f), 'utf8').trim() + '\n')
fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), header.join('\n') + '\n' + body.join('\n'))
process.exitCode = failed === 0 ? 0 : 1
