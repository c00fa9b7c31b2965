/**
 * Memory of one training step on the wasm backend: the heap high-water mark of a real
 * `trainStep` per preset and step size, in the micro-batches the engine plans
 * (`stepMemoryPlan`, gradient caching; the wasm32 heap stops at 4 GiB), next to the plan's
 * estimate. Each case runs in its own process, since a wasm heap never shrinks.
 *
 * Run: npx tsx bench/step-memory.bench.ts [--only paper:iicl,laptop:iicl] (only the cases of
 * those preset:variant pairs). Writes bench/results/step-memory.md.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Rng } from '../src/engine/datasets/synthetic/prng'
import { selectBackend } from '../src/engine/ml/backend'
import type { TrainingClip } from '../src/engine/ml/data/training-set'
import type { LossVariant } from '../src/engine/ml/losses'
import { AuModel } from '../src/engine/ml/model/au-model'
import { getPreset } from '../src/engine/ml/model/presets'
import { MomentumSgd } from '../src/engine/ml/train/momentum-sgd'
import { stepMemoryPlan } from '../src/engine/ml/train/step-memory'
import { resolveTrainConfig } from '../src/engine/ml/train/train-config'
import { trainStep } from '../src/engine/ml/train/train-model'
import { tf } from '../src/engine/ml/tf'

const here = path.dirname(fileURLToPath(import.meta.url))
const MIB = 2 ** 20

interface Case {
  preset: string
  variant: LossVariant
  clips: number
  /** Clips per micro-batch; null: the engine's plan. */
  microBatch: number | null
}

/** What one case measures, printed as a JSON line by the child process. */
interface Measured extends Case {
  images: number
  microBatch: number
  stepMs: number
  heapMiB: number
}

const CASES: Case[] = [
  { preset: 'tiny', variant: 'iicl', clips: 8, microBatch: null },
  { preset: 'laptop', variant: 'iicl', clips: 16, microBatch: null },
  { preset: 'laptop', variant: 'iicl', clips: 16, microBatch: 4 },
  { preset: 'paper', variant: 'baseline', clips: 16, microBatch: null },
  { preset: 'paper', variant: 'iicl', clips: 16, microBatch: null },
]

/** The cases the command line selects with `--only preset:variant,…` (all without it). */
function selectedCases(argv: readonly string[]): Case[] {
  const at = argv.indexOf('--only')
  if (at < 0) return CASES
  const wanted = new Set((argv[at + 1] ?? '').split(','))
  const cases = CASES.filter((c) => wanted.has(`${c.preset}:${c.variant}`))
  if (cases.length === 0) throw new Error(`--only ${argv[at + 1]} selects no case`)
  return cases
}

const planOf = (c: Case) => stepMemoryPlan({ ...c, batchSize: c.clips })

/** One case in this process: a warm-up step, then the measured one. */
async function measure(c: Case): Promise<Measured> {
  await selectBackend({ prefer: 'wasm' })
  const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8
  const preset = getPreset(c.preset)
  const plan = planOf(c)
  const config = resolveTrainConfig({
    preset: c.preset,
    variant: c.variant,
    seed: 1,
    overrides: { batchSize: c.clips, microBatch: plan.microBatch },
  })
  const aus = ['1', '2', '4', '12']
  const model = AuModel.create(preset.model, aus, { seed: 1 })
  const trainable = new Map(model.params.entries().filter(([, v]) => v.trainable))
  const optimizer = new MomentumSgd(config.momentum, trainable)
  const side = config.resizeSize
  const clips: TrainingClip[] = Array.from({ length: c.clips }, (_, i) => {
    const frames = new Map<number, Uint8Array>()
    for (let f = 0; f < 10; f++) {
      frames.set(
        f,
        new Uint8Array(side * side * 3).map((_, k) => (i * 37 + f * 11 + k) & 255),
      )
    }
    const labels = new Uint8Array(aus.length)
    labels[i % aus.length] = 1
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
  const geometry = {
    resizeSize: side,
    cropSize: config.cropSize,
    preprocessing: preset.model.preprocessing,
  }
  const step = () =>
    trainStep({ model, optimizer, config, geometry }, clips, Rng.from(1, 'b'), 0.01, undefined)
  // The paper preset's steps take minutes on a shared 2-core machine: its first step is timed.
  if (c.preset !== 'paper') await step()
  const t0 = performance.now()
  await step()
  const stepMs = performance.now() - t0
  const images = plan.imagesPerStep
  return { ...c, images, microBatch: plan.microBatch, stepMs, heapMiB: heap().length / MIB }
}

if (process.argv[2] === '--case') {
  const c = JSON.parse(process.argv[3]) as Case
  process.stdout.write(JSON.stringify(await measure(c)) + '\n')
} else {
  const rows: string[] = []
  for (const c of selectedCases(process.argv)) {
    process.stderr.write(`step-memory: ${c.preset} ${c.variant} ${c.clips} clips\n`)
    const estimate = planOf(c)
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', JSON.stringify(c)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    )
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'))
    const m = line ? (JSON.parse(line) as Measured) : null
    rows.push(
      `| ${c.preset} | ${c.variant} | ${c.clips} | ${estimate.imagesPerStep} | ` +
        `${estimate.microBatch} × ${estimate.microBatches} | ` +
        (m
          ? `${m.heapMiB.toFixed(0)} | ${m.stepMs.toFixed(0)}`
          : `failed (exit ${run.status}) | –`) +
        ` | ${(estimate.estimatedBytes / MIB).toFixed(0)} | ${estimate.fits ? 'runs' : 'refused'} |`,
    )
  }
  const text = [
    '## Training-step memory on wasm',
    '',
    `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} · ` +
      `${os.availableParallelism()} logical cores · Node ${process.version}`,
    '',
    'Heap reached by one real `trainStep` (after a warm-up step; the paper preset: its first',
    'step, warm-up included in its time), each case in a fresh',
    'process, next to the estimate of the plan the engine runs (`stepMemoryPlan`, budget',
    '3.5 GiB of the 4 GiB wasm32 heap; `src/engine/ml/train/step-memory.ts`). Steps are',
    'computed by gradient caching in micro-batches (clips per micro-batch × micro-batches).',
    '',
    '| preset | variant | clips/step | images/step | micro-batches | heap MiB | step ms | estimate MiB | engine |',
    '| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n')
  fs.mkdirSync(path.join(here, 'results'), { recursive: true })
  fs.writeFileSync(path.join(here, 'results', 'step-memory.md'), text)
  process.stdout.write(text)
}
