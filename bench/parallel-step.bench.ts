/**
 * One `laptop`-preset IICL training step (16 clips × 3 frames at 96²) on wasm, in this
 * thread and spread over worker threads (micro-batches of 8 clips, one per worker; the
 * cached-gradient step, parallel-gradients.ts), against the same step in PyTorch with 2
 * threads (bench/reference/train_step_torch.py), all in one run. The machine is shared, so
 * the three are measured in turns, several rounds, and compared by their fastest step; each
 * round starts by measuring how much of a second core the machine gives (parallel-headroom.ts).
 *
 * Run: npx tsx bench/parallel-step.bench.ts [--rounds 3] [--steps 5] [--workers 2].
 * Writes bench/results/parallel-step.md.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Rng } from '../src/engine/datasets/synthetic/prng'
import { selectBackend } from '../src/engine/ml/backend'
import type { TrainingClip } from '../src/engine/ml/data/training-set'
import { AuModel } from '../src/engine/ml/model/au-model'
import { getPreset } from '../src/engine/ml/model/presets'
import { MomentumSgd } from '../src/engine/ml/train/momentum-sgd'
import { StepWorkerPool } from '../src/engine/ml/train/step-workers/pool'
import { resolveTrainConfig } from '../src/engine/ml/train/train-config'
import { trainStep, type TrainRun } from '../src/engine/ml/train/train-model'
import { parallelHeadroom } from './reference/parallel-headroom'
import { passCost } from './reference/pass-cost'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '5' },
    workers: { type: 'string', default: '2' },
  },
})
const ROUNDS = Number(args.rounds)
const STEPS = Number(args.steps)
const WORKERS = Number(args.workers)
const CLIPS = 16
const AUS = ['1', '2', '4', '7', '12', '14', '15', '17']
const log = (text: string) => process.stderr.write(text + '\n')

function syntheticClips(side: number): TrainingClip[] {
  return Array.from({ length: CLIPS }, (_, i) => {
    const frames = new Map<number, Uint8Array>()
    for (let f = 0; f < 10; f++) {
      frames.set(
        f,
        new Uint8Array(side * side * 3).map((_, k) => (i * 37 + f * 11 + k) & 255),
      )
    }
    const labels = new Uint8Array(AUS.length)
    labels[i % AUS.length] = 1
    return {
      clipId: i,
      datasetId: 1,
      subjectId: i,
      subject: `s${i}`,
      subjectKey: `1/s${i}`,
      name: `c${i}`,
      labels,
      onset: 0,
      apex: 5,
      apexEstimated: false,
      closeCandidates: [4, 6],
      frames,
    }
  })
}

type Run = Pick<TrainRun, 'model' | 'optimizer' | 'config' | 'geometry' | 'pool'>

function makeRun(microBatch: number | undefined, pool?: StepWorkerPool): Run {
  const preset = getPreset('laptop')
  const config = resolveTrainConfig({
    preset: 'laptop',
    variant: 'iicl',
    seed: 1,
    overrides: { batchSize: CLIPS, microBatch },
  })
  const model = AuModel.create(preset.model, AUS, { seed: 1 })
  const trainable = new Map(model.params.entries().filter(([, v]) => v.trainable))
  const geometry = {
    resizeSize: config.resizeSize,
    cropSize: config.cropSize,
    preprocessing: preset.model.preprocessing,
  }
  return { model, optimizer: new MomentumSgd(0.9, trainable), config, geometry, pool }
}

/** Wall-clock ms of each step, and the CPU ms of each (every thread of this process). */
async function timeSteps(
  run: Run,
  clips: TrainingClip[],
): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < STEPS; i++) {
    const start = performance.now()
    const used = process.cpuUsage()
    await trainStep(run, clips, Rng.from(1, 'step', i), 0.01, undefined)
    const { user, system } = process.cpuUsage(used)
    wall.push(performance.now() - start)
    cpu.push((user + system) / 1000)
  }
  return { wall, cpu }
}

function torchSteps(): { ms: number; version: string } | null {
  const torch = spawnSync(
    '/usr/bin/python3',
    [
      path.join(here, 'reference/train_step_torch.py'),
      '--clips',
      String(CLIPS),
      '--steps',
      String(STEPS),
      '--threads',
      '2',
    ],
    { encoding: 'utf8' },
  )
  if (torch.status !== 0) {
    log(`PyTorch: ${torch.stderr.trim().split('\n').at(-1)}`)
    return null
  }
  const out = JSON.parse(torch.stdout) as { ms_per_step: number; torch: string }
  return { ms: out.ms_per_step, version: out.torch }
}

const loadAtStart = os.loadavg()
const backend = await selectBackend({ prefer: 'wasm' })
const clips = syntheticClips(getPreset('laptop').training.resizeSize)
const single = makeRun(undefined)
const pooledModel = makeRun(CLIPS / WORKERS)
const pool = await StepWorkerPool.start(WORKERS, pooledModel.model)
const parallel = { ...pooledModel, pool }
await timeSteps(single, clips.slice())
await timeSteps(parallel, clips.slice())
const rows: {
  round: number
  headroom: number
  one: { wall: number[]; cpu: number[] }
  workers: { wall: number[]; cpu: number[] }
  torch: number | null
}[] = []
let torchVersion = ''
for (let round = 1; round <= ROUNDS; round++) {
  const headroom = await parallelHeadroom()
  const one = await timeSteps(single, clips)
  const workers = await timeSteps(parallel, clips)
  const torch = torchSteps()
  if (torch) torchVersion = torch.version
  rows.push({ round, headroom, one, workers, torch: torch?.ms ?? null })
  log(
    `round ${round}: headroom ${headroom.toFixed(2)}, one thread ${Math.min(...one.wall).toFixed(0)} ms, ${WORKERS} workers ${Math.min(...workers.wall).toFixed(0)} ms, PyTorch ${torch?.ms.toFixed(0) ?? '–'} ms`,
  )
}
await pool.close()
const passes = passCost(single.model, getPreset('laptop').model.inputSize, [
  2,
  (CLIPS / WORKERS) * 3,
  CLIPS * 3,
])

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const best = (pick: (r: (typeof rows)[number]) => number[]) => Math.min(...rows.flatMap(pick))
const torchBest = Math.min(...rows.flatMap((r) => (r.torch === null ? [] : [r.torch])))
const ratio = (ms: number) => (Number.isFinite(torchBest) ? `${(ms / torchBest).toFixed(1)}×` : '–')
const cell = (t: { wall: number[]; cpu: number[] }) =>
  `${median(t.wall).toFixed(0)} (${Math.min(...t.wall).toFixed(0)}) · ${median(t.cpu).toFixed(0)}`
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ')
const oneBest = best((r) => r.one.wall)
const workersBest = best((r) => r.workers.wall)
const text = [
  '## Training step on both cores vs PyTorch',
  '',
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${os.cpus()[0].model} · ` +
    `${os.availableParallelism()} logical cores, shared with other engineers' work ` +
    `(load average ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end) · ` +
    `Node ${process.version} · ` +
    `backend ${backend.name} · \`npx tsx bench/parallel-step.bench.ts --rounds ${ROUNDS} --steps ${STEPS} --workers ${WORKERS}\``,
  '',
  `One IICL step of the \`laptop\` preset: ${CLIPS} clips × 3 frames (48 images of 96²), loss`,
  'and SGD update included. "One thread": the step in one wasm backend (one micro-batch).',
  `"${WORKERS} workers": the cached-gradient step in micro-batches of ${CLIPS / WORKERS} clips, one per`,
  'worker thread, each with its own wasm backend and our kernels, one forward pass per',
  'micro-batch (the worker keeps its tape while this thread computes the loss), parameters',
  `and gradients through shared buffers. PyTorch ${torchVersion || '(not available)'}: the same`,
  `step with 2 threads. Per round each runs ${STEPS} steps in turn; ms per step: median (fastest)`,
  'of the round · median CPU ms per step (every thread of the process). Headroom: how much of a second core the machine gave at the start of the',
  'round (2 · one thread alone ÷ two threads at once, on plain JavaScript arithmetic; 2.0 on',
  'two idle cores, bench/reference/parallel-headroom.ts).',
  '',
  `| round | headroom | one thread | ${WORKERS} workers | PyTorch 2 threads |`,
  '| ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.round} | ${r.headroom.toFixed(2)} | ${cell(r.one)} | ${cell(r.workers)} | ` +
      `${r.torch?.toFixed(0) ?? '–'} |`,
  ),
  '',
  `Fastest step: one thread ${oneBest.toFixed(0)} ms (${ratio(oneBest)} PyTorch), ${WORKERS} workers ` +
    `${workersBest.toFixed(0)} ms (${ratio(workersBest)} PyTorch), PyTorch ${Number.isFinite(torchBest) ? torchBest.toFixed(0) : '–'} ms.`,
  '',
  'CPU ms of one taped forward + backward pass of the model in this thread (median of 5; ' +
    'bench/reference/pass-cost.ts): ' +
    passes.map((p) => `${p.images} images ${p.cpuMs.toFixed(0)}`).join(', ') +
    '.',
  '',
].join('\n')
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'parallel-step.md'), text)
process.stdout.write(text)
