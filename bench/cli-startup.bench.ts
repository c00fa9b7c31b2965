/**
 * CLI start-up: wall time and CPU time of `microau --version`, from the compiled CLI
 * (`bin/microau.js` running out/cli) and from the TypeScript sources through tsx (as every
 * command ran before), next to a bare `node -e ''` on the same machine at the same moment.
 *
 * `npm run build:cli && npx tsx bench/cli-startup.bench.ts` prints a markdown section and
 * writes bench/results/cli-startup.md. Goal: compiled `--version` under 0.3 s wall.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtCliEntry } from '../bin/built-cli.js'

const RUNS = 15
const GOAL_S = 0.3
const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '..')

interface Sample {
  wall: number
  cpu: number
}

/** Runs `node ...args` once: wall seconds, and user + system CPU seconds of the child. */
function runOnce(args: string[]): Sample {
  const cpuBefore = childrenCpu()
  const start = process.hrtime.bigint()
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - start) / 1e9
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`)
  return { wall, cpu: childrenCpu() - cpuBefore }
}

/**
 * CPU seconds of the waited-for children so far: cutime + cstime of /proc/self/stat, in
 * clock ticks of 100 per second (Linux's USER_HZ).
 */
function childrenCpu(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  return (Number(fields[13]) + Number(fields[14])) / 100
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function measure(args: string[]): { wall: number; cpu: number } {
  runOnce(args) // warm the file cache
  const samples = Array.from({ length: RUNS }, () => runOnce(args))
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) }
}

function main(): void {
  if (!builtCliEntry(ROOT)) throw new Error('out/cli is missing or stale: run npm run build:cli')
  const rows = [
    ['`node -e ""` (Node alone)', measure(['-e', ''])],
    ['`microau --version`, compiled (out/cli)', measure(['bin/microau.js', '--version'])],
    ['`microau --help`, compiled (loads every command)', measure(['bin/microau.js', '--help'])],
    [
      '`microau --version` from the sources through tsx',
      measure(['--import', 'tsx', 'src/cli/index.ts', '--version']),
    ],
  ] as const
  const compiled = rows[1][1].wall
  const markdown = [
    '## CLI start-up',
    '',
    `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} (${os.availableParallelism()} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg()[0].toFixed(1)}) · ${os.type()} ${os.release()} · Node ${process.version} · \`npm run build:cli && npx tsx bench/cli-startup.bench.ts\``,
    '',
    `Median of ${RUNS} runs each (after one warm-up run); CPU is the child's user + system time.`,
    '',
    '| Command | Wall s | CPU s |',
    '| --- | ---: | ---: |',
    ...rows.map(([label, m]) => `| ${label} | ${m.wall.toFixed(3)} | ${m.cpu.toFixed(2)} |`),
    '',
    `Goal: compiled \`--version\` under ${GOAL_S} s wall: ${compiled < GOAL_S ? 'met' : 'not met'} (${compiled.toFixed(3)} s; Node alone takes ${rows[0][1].wall.toFixed(3)} s here at this load).`,
    '',
    `- CPU beyond Node alone, which the machine's load does not inflate: ${(rows[1][1].cpu - rows[0][1].cpu).toFixed(2)} s compiled against ${(rows[3][1].cpu - rows[0][1].cpu).toFixed(2)} s through tsx. On a busy machine wall time follows the load, not the CLI.`,
    '',
  ].join('\n')
  process.stdout.write(markdown)
  fs.mkdirSync(path.join(HERE, 'results'), { recursive: true })
  fs.writeFileSync(path.join(HERE, 'results', 'cli-startup.md'), markdown)
}

main()
