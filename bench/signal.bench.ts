/**
 * Benchmark of the signal engine: magnification of a 60-frame 256×256 RGB clip and apex
 * spotting on a 60-frame 160×160 RGB clip, against a straightforward numpy version of the
 * same steps (bench/reference/signal_numpy.py, run with /usr/bin/python3).
 *
 * Run: npx tsx bench/signal.bench.ts [runs]. Prints a markdown section and writes it to
 * bench/results/signal.md. Times are medians of wall-clock and of process CPU time (the CPU
 * time is the steadier figure on a shared machine); all engine code runs on one thread.
 * Peak memory is measured in a fresh child process per task (`--memory <task>`), as the rise
 * of the peak resident set over the resident set after the input was made and collected.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createMagnifier,
  iirPassBandHz,
  magnifyClip,
  spotApex,
  type Clip,
} from '../src/engine/signal'
import { syntheticClip } from '../tests/unit/signal/synthetic-clip'

const RUNS = Number.parseInt(process.argv[2] ?? '', 10) || 7
const PYTHON_RUNS = 3
const here = path.dirname(fileURLToPath(import.meta.url))

interface Timing {
  wallMs: number[]
  cpuMs: number[]
}

interface Measured<T> {
  timing: Timing
  result: T
}

/** Tasks whose peak memory is measured, each in its own process. */
const MEMORY_TASKS = {
  /** magnifyClip: the engine's buffers plus the 45 MiB output clip. */
  clip: () => {
    const input = magnifyInput()
    return () => magnifyClip(input)
  },
  /** The streaming magnifier writing every frame into one reused buffer. */
  stream: () => {
    const input = magnifyInput()
    return () => {
      const magnifier = createMagnifier(input.width, input.height, 3)
      const out = new Float32Array(input.frames[0].length)
      for (const frame of input.frames) magnifier.push(frame, out)
    }
  },
  apex: () => {
    const input = apexInput()
    return () => spotApex(input)
  },
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `fn` once to warm up, then `RUNS` times, timing each run. */
function measure<T>(fn: () => T): Measured<T> {
  let result = fn()
  const timing: Timing = { wallMs: [], cpuMs: [] }
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage()
    const start = performance.now()
    result = fn()
    timing.wallMs.push(performance.now() - start)
    const used = process.cpuUsage(cpu)
    timing.cpuMs.push((used.user + used.system) / 1000)
  }
  return { timing, result }
}

/** In a child process: prepares a task's input, then reports the peak memory of one run. */
function reportMemory(task: keyof typeof MEMORY_TASKS): void {
  const run = MEMORY_TASKS[task]()
  ;(globalThis as { gc?: () => void }).gc?.()
  const before = process.memoryUsage().rss
  run()
  console.log(JSON.stringify((process.resourceUsage().maxRSS * 1024 - before) / 2 ** 20))
}

/** Peak memory of a task in MiB, measured in a fresh process; NaN if that fails. */
function peakMemoryMiB(task: keyof typeof MEMORY_TASKS): number {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--memory', task],
    { encoding: 'utf8' },
  )
  return child.status === 0 ? Number(child.stdout.trim().split('\n').pop()) : Number.NaN
}

/** A file's bytes in an ArrayBuffer of their own (Buffers may share a pooled one). */
function readBytes(file: string): ArrayBuffer {
  return new Uint8Array(readFileSync(file)).buffer
}

function writeFrames(file: string, clip: Clip): void {
  const all = new Float32Array(clip.frames.length * clip.frames[0].length)
  clip.frames.forEach((f, t) => all.set(f, t * f.length))
  writeFileSync(file, all)
}

/** Runs the numpy reference; null when python3 or numpy is missing. */
function runNumpy(
  folder: string,
  magnify: Clip,
  apex: Clip,
): { numpy: string; magnify: Timing; apex: Timing } | null {
  const env = { ...process.env }
  delete env.OPENBLAS_CORETYPE
  const run = spawnSync(
    '/usr/bin/python3',
    [
      path.join(here, 'reference', 'signal_numpy.py'),
      folder,
      ...[magnify.width, magnify.height, magnify.frames.length].map(String),
      ...[apex.width, apex.height, apex.frames.length].map(String),
      String(PYTHON_RUNS),
    ],
    { env, encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  if (run.status !== 0) {
    console.error(run.error?.message ?? run.stderr)
    return null
  }
  return JSON.parse(run.stdout)
}

/** 60 frames of 256×256 RGB with a slow 0.2 px brow raise and sensor noise. */
function magnifyInput(): Clip {
  return syntheticClip({
    width: 256,
    height: 256,
    frames: 60,
    noise: 0.002,
    region: { x: 77, y: 102, radius: 40 },
    motion: (t) => 0.2 * Math.sin((Math.PI * t) / 60) ** 2,
  })
}

/** 60 frames of 160×160 RGB with a brow pulse at frames 28–32 (apex 30). */
function apexInput(): Clip {
  const shape = [0.5, 1, 1.5, 1, 0.5]
  return syntheticClip({
    width: 160,
    height: 160,
    frames: 60,
    region: { x: 48, y: 45, radius: 20 },
    motion: (t) => (t >= 28 && t <= 32 ? shape[t - 28] : 0),
  })
}

const memoryFlag = process.argv.indexOf('--memory')
if (memoryFlag > 0) {
  reportMemory(process.argv[memoryFlag + 1] as keyof typeof MEMORY_TASKS)
  process.exit(0)
}

// Children first: a child's peak resident set starts at this process's size when it forks.
const memory = {
  clip: peakMemoryMiB('clip'),
  stream: peakMemoryMiB('stream'),
  apex: peakMemoryMiB('apex'),
}
const magnifyClipInput = magnifyInput()
const apexClipInput = apexInput()
const magnified = measure(() => magnifyClip(magnifyClipInput))
const spotted = measure(() => spotApex(apexClipInput))

const folder = mkdtempSync(path.join(os.tmpdir(), 'signal-bench-'))
writeFrames(path.join(folder, 'magnify_input.f32'), magnifyClipInput)
writeFrames(path.join(folder, 'apex_input.f32'), apexClipInput)
const numpy = runNumpy(folder, magnifyClipInput, apexClipInput)
let agreement = 'numpy reference not run (python3 with numpy not found)'
if (numpy !== null) {
  const theirs = new Float32Array(readBytes(path.join(folder, 'magnify_numpy.f32')))
  let worst = 0
  magnified.result.frames.forEach((frame, t) => {
    for (let i = 0; i < frame.length; i++) {
      worst = Math.max(worst, Math.abs(frame[i] - theirs[t * frame.length + i]))
    }
  })
  const scores = new Float64Array(readBytes(path.join(folder, 'apex_numpy.f64')))
  let relative = 0
  spotted.result.scores.forEach((s, i) => {
    relative = Math.max(relative, Math.abs(s - scores[i]) / scores[i])
  })
  const frames =
    worst === 0
      ? "magnified frames identical to numpy's (float64) rounded to float32"
      : `magnified values differ from numpy's by at most ${worst.toExponential(1)}`
  agreement = `${frames}; apex scores within ${relative.toExponential(1)} (relative) of numpy's`
}
rmSync(folder, { recursive: true, force: true })

const fmt = (ms: number): string => ms.toFixed(0)
const ratio = (theirs: number[] | undefined, ours: number[]): string =>
  theirs === undefined ? 'n/a' : `${(median(theirs) / median(ours)).toFixed(1)}×`
const band = iirPassBandHz(200)
const mib = (value: number): string => `${value.toFixed(0)} MiB`
const rows = [
  [
    'Magnify (IIR, Laplacian, α 10, λc 16)',
    '60 × 256×256 RGB',
    magnified,
    500,
    `${mib(memory.clip)} (streaming ${mib(memory.stream)})`,
    numpy?.magnify,
  ] as const,
  [
    'Apex spotting (LBP, 61-frame 3D FFT)',
    '60 × 160×160 RGB',
    spotted,
    1000,
    mib(memory.apex),
    numpy?.apex,
  ] as const,
]
const lines = [
  '## Signal processing',
  '',
  `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} (${os.cpus().length} cores, ` +
    `load average ${os.loadavg()[0].toFixed(1)} at the end) · Node ${process.version} · ` +
    `\`npx tsx bench/signal.bench.ts\`, median of ${RUNS} runs after one warm-up; numpy median of ` +
    `${PYTHON_RUNS}. One thread.`,
  '',
  '| Task | Clip | Wall ms (best) | CPU ms | Target | Peak memory | numpy wall ms | numpy CPU ms | numpy / ours (CPU) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ([task, clip, m, target, peak, theirs]) =>
      `| ${task} | ${clip} | ${fmt(median(m.timing.wallMs))} (${fmt(Math.min(...m.timing.wallMs))}) | ` +
      `${fmt(median(m.timing.cpuMs))} | ` +
      `< ${target} | ${peak} | ` +
      `${theirs === undefined ? 'n/a' : fmt(median(theirs.wallMs))} | ` +
      `${theirs === undefined ? 'n/a' : fmt(median(theirs.cpuMs))} | ` +
      `${ratio(theirs?.cpuMs, m.timing.cpuMs)} |`,
  ),
  '',
  `- Agreement with numpy ${numpy?.numpy ?? ''}: ${agreement}.`,
  `- Apex of the benchmark clip (pulse at frames 28–32): frame ${spotted.result.apexIndex}.`,
  `- IIR pass band at 200 fps (r1 0.4, r2 0.05): −3 dB ${band.lowHz.toFixed(2)}–` +
    `${band.highHz.toFixed(2)} Hz, peak gain ${band.peakGain.toFixed(3)} at ${band.peakHz.toFixed(2)} Hz ` +
    `(the low-passes alone cut at ${band.slowCutoffHz.toFixed(2)} and ${band.fastCutoffHz.toFixed(2)} Hz).`,
  '- Wall ms (median, best run in brackets) include waiting for a CPU when other work shares ' +
    "the machine (see the load average); CPU ms are this process's user + system time, the " +
    'figure the targets are read on.',
  '- Peak memory: rise of the peak resident set during one run in a fresh process, input clip ' +
    'excluded; magnifyClip includes its 45 MiB output clip, the streaming magnifier reuses one ' +
    'output frame.',
  '',
]
const section = lines.join('\n')
console.log(section)
mkdirSync(path.join(here, 'results'), { recursive: true })
writeFileSync(path.join(here, 'results', 'signal.md'), section)
