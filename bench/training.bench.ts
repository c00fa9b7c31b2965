/**
 * Benchmark of IICL training: the paper's Table 1 ablation (baseline, IntraCL, InterCL,
 * IICL) for the `laptop` preset with subject-independent 4-fold cross-validation on a
 * synthetic demo dataset, training throughput per JS backend (wasm, cpu), per-clip inference
 * latency, and the same training step in PyTorch on the CPU
 * (bench/reference/train_step_torch.py, run with /usr/bin/python3).
 *
 * Run: npx tsx bench/training.bench.ts [--epochs 6] [--subjects 12] [--clips 8] [--size 128]
 * [--min-positives 15] [--skip-ablation]. Writes bench/results/training.md (date, machine, node version).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Rng } from '../src/engine/datasets/synthetic/prng'
import { generateSyntheticDataset } from '../src/engine/datasets/synthetic/generate'
import { importDataset } from '../src/engine/datasets/import/import-dataset'
import { openLibrary } from '../src/engine/db/open-library'
import type { JobContext } from '../src/engine/jobs/job-kind'
import { selectBackend, type BackendName } from '../src/engine/ml/backend'
import { spotClipApex } from '../src/engine/ml/data/apex-spotting'
import { framesInMemory, readClipImages } from '../src/engine/ml/data/clip-images'
import { magnifyKeyFrames } from '../src/engine/ml/data/magnified-frames'
import { loadTrainingSet } from '../src/engine/ml/data/training-set'
import { runAblation } from '../src/engine/ml/eval/ablation'
import { formatAblationTable } from '../src/engine/ml/eval/ablation-table'
import { predictClipScores } from '../src/engine/ml/infer/predict-clips'
import { ablationJobInputSchema } from '../src/engine/ml/jobs/schemas'
import { AuModel } from '../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../src/engine/ml/model/presets'
import { MomentumSgd } from '../src/engine/ml/train/momentum-sgd'
import { resolveTrainConfig } from '../src/engine/ml/train/train-config'
import { trainStep } from '../src/engine/ml/train/train-model'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '6' },
    subjects: { type: 'string', default: '12' },
    clips: { type: 'string', default: '8' },
    size: { type: 'string', default: '128' },
    'min-positives': { type: 'string', default: '15' },
    'skip-ablation': { type: 'boolean', default: false },
  },
})
const EPOCHS = Number(args.epochs)
const SUBJECTS = Number(args.subjects)
const CLIPS = Number(args.clips)
const SIZE = Number(args.size)
const MIN_POSITIVES = Number(args['min-positives'])
const PRESET = 'laptop'
const VARIANTS = ['baseline', 'intracl', 'intercl', 'iicl'] as const

const log = (text: string) => process.stderr.write(text + '\n')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-training-bench-'))
const started = Date.now()
log(`synthetic demo: ${SUBJECTS} subjects × ${CLIPS} clips, ${SIZE} px, in ${work}`)
const dataset = await generateSyntheticDataset({
  outDir: path.join(work, 'synthetic'),
  subjects: SUBJECTS,
  clipsPerSubject: CLIPS,
  seed: 2021,
  format: 'casme2',
  size: SIZE,
})
const libraryFile = path.join(work, 'library.sqlite')
const db = openLibrary(libraryFile)
const report = await importDataset(db, {
  format: 'casme2',
  sheet: dataset.sheetPath,
  frames: dataset.framesRoot,
  dataset: 'synthetic demo',
})
const frameCacheDir = `${libraryFile}.frames`
let lastLog = 0
const ctx: JobContext<unknown> = {
  jobId: 0,
  db,
  libraryPath: libraryFile,
  frameCacheDir,
  signal: new AbortController().signal,
  resumeState: undefined,
  progress: (p) => {
    if (Date.now() - lastLog > 5000 || p.done === p.total) {
      lastLog = Date.now()
      log(`  ${p.done}/${p.total} ${p.message ?? ''}`)
    }
  },
  saveState: () => undefined,
}

// Data preparation (magnification of every clip, cached) timed on its own.
const config = resolveTrainConfig({ preset: PRESET, variant: 'iicl', seed: 0 })
let t = performance.now()
const set = await loadTrainingSet(db, frameCacheDir, {
  datasetIds: [report.datasetId],
  minPositives: MIN_POSITIVES,
  resizeSize: config.resizeSize,
})
const prepareSeconds = (performance.now() - t) / 1000
log(
  `prepared ${set.clips.length} clips in ${prepareSeconds.toFixed(1)} s; AUs ${set.auList.join(', ')}`,
)

// Ablation (Table 1).
let ablationSection = '_skipped (--skip-ablation)_'
if (!args['skip-ablation']) {
  t = performance.now()
  const result = await runAblation(
    ablationJobInputSchema.parse({
      datasetIds: [report.datasetId],
      preset: PRESET,
      variants: [...VARIANTS],
      folds: 4,
      seed: 0,
      overrides: { epochs: EPOCHS },
      outDir: path.join(work, 'ablation'),
      minPositives: MIN_POSITIVES,
      backend: 'wasm',
    }),
    ctx,
  )
  const ablationMinutes = (performance.now() - t) / 60_000
  ablationSection = [
    `${result.preset} preset, ${result.folds}-fold subject-independent CV, ${result.epochs} epochs per fold ` +
      `(learning rate 0.01, ÷10 after ${Math.round(result.epochs / 2)}), seed ${result.seed}, ${result.bce}, ` +
      `backend ${result.backend}; ${set.clips.length} clips; binary F1 at 0.5 with all folds pooled; ` +
      `${ablationMinutes.toFixed(1)} min.`,
    '',
    formatAblationTable(result),
    '',
    'Folds that predict no positive for an AU (the collapse DOMAIN §1 warns about):',
    '',
    ...result.rows.map(
      (r) =>
        `- ${r.variant}: ${r.warnings.length} of ${result.folds * result.auList.length} fold × AU pairs` +
        (r.warnings.length > 0
          ? ` (${r.warnings.map((w) => w.replace(' predicts no positive for', ':')).join('; ')})`
          : ''),
    ),
  ].join('\n')
}

// Training throughput per backend: IICL steps of 16 clips (48 images) of the laptop preset.
const throughput: {
  backend: string
  msPerStep: number
  imagesPerSecond: number
  reason: string
}[] = []
const stepClips = set.clips.slice(0, config.batchSize)
for (const [backend, steps] of [
  ['wasm', 5],
  ['cpu', 1],
] as const) {
  const chosen = await selectBackend({ prefer: backend as BackendName })
  if (chosen.name !== backend) continue
  const model = AuModel.create(MODEL_PRESETS[PRESET].model, set.auList, { seed: 1 })
  const optimizer = new MomentumSgd(
    0.9,
    new Map(model.params.entries().filter(([, v]) => v.trainable)),
  )
  const geometry = {
    resizeSize: config.resizeSize,
    cropSize: config.cropSize,
    preprocessing: model.config.preprocessing,
  }
  const run = { model, optimizer, config, geometry }
  trainStep(run, stepClips, new Rng(0), 0.01, undefined)
  const times: number[] = []
  for (let i = 0; i < steps; i++) {
    const start = performance.now()
    trainStep(run, stepClips, new Rng(i + 1), 0.01, undefined)
    times.push(performance.now() - start)
  }
  const ms = median(times)
  throughput.push({
    backend,
    msPerStep: ms,
    imagesPerSecond: (3 * stepClips.length) / (ms / 1000),
    reason: chosen.reason,
  })
  log(`throughput ${backend}: ${ms.toFixed(0)} ms per step`)
  optimizer.dispose()
  model.dispose()
}

// Per-clip inference latency on wasm: the network on one magnified apex, and the whole
// pipeline from the frames on disk (read, spot the apex, magnify, predict).
await selectBackend({ prefer: 'wasm', purpose: 'inference' })
const model = AuModel.create(MODEL_PRESETS[PRESET].model, set.auList, { seed: 1 })
const geometry = {
  resizeSize: config.resizeSize,
  cropSize: config.cropSize,
  preprocessing: model.config.preprocessing,
}
predictClipScores(model, [set.clips[0]], geometry)
const forward: number[] = []
for (let i = 0; i < 20; i++) {
  const start = performance.now()
  predictClipScores(model, [set.clips[i % set.clips.length]], geometry)
  forward.push(performance.now() - start)
}
const pipeline: number[] = []
for (let i = 0; i < 5; i++) {
  const clip = set.clips[i]
  const start = performance.now()
  const images = await readClipImages(db, clip.clipId, frameCacheDir)
  const apex = spotClipApex(images)
  await magnifyKeyFrames(framesInMemory(images)(), new Set([apex]))
  predictClipScores(model, [clip], geometry)
  pipeline.push(performance.now() - start)
}
model.dispose()

// PyTorch on the CPU, same step.
const torch = spawnSync(
  '/usr/bin/python3',
  [
    path.join(here, 'reference/train_step_torch.py'),
    '--clips',
    String(config.batchSize),
    '--steps',
    '3',
    '--threads',
    String(os.availableParallelism()),
  ],
  { encoding: 'utf8' },
)
const torchResult =
  torch.status === 0
    ? (JSON.parse(torch.stdout) as {
        ms_per_step: number
        images_per_s: number
        torch: string
        threads: number
      })
    : null
db.close()

const wasm = throughput.find((r) => r.backend === 'wasm')
const lines = [
  '# Training benchmark (IICL)',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${os.cpus()[0].model}, ${os.availableParallelism()} cores (shared with other work while this ran)`,
  `- Node ${process.version}; command: \`npx tsx bench/training.bench.ts --epochs ${EPOCHS} --subjects ${SUBJECTS} --clips ${CLIPS} --size ${SIZE}\``,
  `- Data: synthetic demo (generator seed 2021), ${SUBJECTS} subjects × ${CLIPS} clips, ${SIZE}×${SIZE} px, 200 fps; AUs with ≥ ${MIN_POSITIVES} positive clips: ${set.auList.join(', ')}`,
  `- Preparation (magnify every clip with alpha 10 IIR, key frames cached): ${prepareSeconds.toFixed(1)} s for ${set.clips.length} clips`,
  '',
  '## Table 1 ablation',
  '',
  ablationSection,
  '',
  '## Training throughput (laptop preset, IICL step of 16 clips = 48 images of 96×96)',
  '',
  '| backend | ms per step | images/s |',
  '| --- | --- | --- |',
  ...throughput.map(
    (r) =>
      `| ${r.backend} (${r.reason}) | ${r.msPerStep.toFixed(0)} | ${r.imagesPerSecond.toFixed(1)} |`,
  ),
  torchResult
    ? `| PyTorch ${torchResult.torch} CPU, ${torchResult.threads} threads (bench/reference/train_step_torch.py) | ${torchResult.ms_per_step.toFixed(0)} | ${torchResult.images_per_s.toFixed(1)} |`
    : `| PyTorch | failed: ${torch.stderr.split('\n').slice(-2).join(' ')} | |`,
  '',
  torchResult && wasm
    ? `Ratio wasm / PyTorch images per second: ${(wasm.imagesPerSecond / torchResult.images_per_s).toFixed(2)}.`
    : '',
  '',
  '## Per-clip inference latency (wasm, laptop preset)',
  '',
  `- Network on one magnified apex (centre crop, batch of 1): median ${median(forward).toFixed(1)} ms over 20 clips`,
  `- Whole pipeline from the frames on disk (decode, spot the apex, magnify the clip, predict): median ${median(pipeline).toFixed(0)} ms over 5 clips of ${SIZE}×${SIZE}`,
  '',
  `Total bench time ${((Date.now() - started) / 60_000).toFixed(1)} min.`,
  '',
]
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'training.md'), lines.join('\n'))
process.stdout.write(lines.join('\n'))
fs.rmSync(work, { recursive: true, force: true })
process.exit(0)
