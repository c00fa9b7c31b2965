/**
 * Benchmark of the face-pretrained start (issue #16): on synthetic sets, with the same
 * subject folds and seeds for every row, the mean F1 of the `laptop` preset trained from
 * scratch, the `face` preset as a linear probe (only the AU head trains) and the `face`
 * preset fine-tuned (its defaults), for the baseline and IICL variants, at the paper's 0.5
 * and at each fold's thresholds chosen on an inner subject split; the all-positive floor;
 * the fold × AU pairs that collapsed; and the training time of each row. Two sets: the
 * demo's generator settings, and another seed with weaker motion (×0.6).
 *
 * Run: npx tsx bench/face-start.bench.ts [--laptop-epochs 4] [--face-epochs 3]
 * [--subjects 12] [--clips 8] [--size 128] [--sets demo,weak] [--variants iicl,baseline]
 * [--rows face-linear-probe,face-fine-tune,laptop-fine-tune] [--face-lr R] [--out FILE.md]. Writes
 * bench/results/<out> (face-start.md) after every row (date, machine, node version).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { collapsedPairs } from '../src/shared/collapse'
import { generateSyntheticDataset } from '../src/engine/datasets/synthetic/generate'
import { importDataset } from '../src/engine/datasets/import/import-dataset'
import { openLibrary } from '../src/engine/db/open-library'
import type { JobContext } from '../src/engine/jobs/job-kind'
import { selectBackend } from '../src/engine/ml/backend'
import { loadTrainingSet, type TrainingSet } from '../src/engine/ml/data/training-set'
import { trainJobInputSchema } from '../src/engine/ml/jobs/schemas'
import { resolveTrainConfig } from '../src/engine/ml/train/train-config'
import { runTraining } from '../src/engine/ml/train/training-run'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    'laptop-epochs': { type: 'string', default: '4' },
    'face-epochs': { type: 'string', default: '3' },
    subjects: { type: 'string', default: '12' },
    clips: { type: 'string', default: '8' },
    size: { type: 'string', default: '128' },
    sets: { type: 'string', default: 'demo,weak' },
    rows: { type: 'string', default: 'face-linear-probe,face-fine-tune,laptop-fine-tune' },
    variants: { type: 'string', default: 'iicl,baseline' },
    'face-lr': { type: 'string' },
    out: { type: 'string', default: 'face-start.md' },
  },
})
const SETS = {
  demo: { seed: 2021, motionScale: 1, label: 'demo generator settings (seed 2021, motion ×1)' },
  weak: { seed: 7, motionScale: 0.6, label: 'another seed, weaker motion (seed 7, motion ×0.6)' },
} as const
const ROWS = [
  { preset: 'face', mode: 'linear-probe', label: 'face linear probe' },
  { preset: 'face', mode: 'fine-tune', label: 'face fine-tuned' },
  { preset: 'laptop', mode: 'fine-tune', label: 'laptop from scratch' },
] as const
// IICL first: on a shared CPU the rows that finish first are the ones that matter most.
const VARIANTS = args.variants.split(',') as ('iicl' | 'baseline')[]
const chosenRows = ROWS.filter((r) => args.rows.split(',').includes(`${r.preset}-${r.mode}`))

const log = (text: string) => process.stderr.write(text + '\n')
const f2 = (x: number) => x.toFixed(2)
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-face-bench-'))
const started = Date.now()
const backend = await selectBackend({ prefer: 'wasm', purpose: 'training' })
const header: string[] = [
  '# Face-pretrained start (issue #16)',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores (shared with other work while this ran), load average ${os.loadavg()[0].toFixed(1)} at start`,
  `- Node ${process.version}; backend ${backend.name}; command: \`npx tsx bench/face-start.bench.ts ${process.argv.slice(2).join(' ')}\``,
  `- ${args.subjects} subjects × ${args.clips} clips per set, ${args.size} px, 200 fps; 4-fold subject-independent CV, seed 0 (same folds for every row); laptop ${args['laptop-epochs']} epochs, face ${args['face-epochs']} epochs per model (learning rate ${args['face-lr'] ?? "the preset's"}); class-balanced BCE; each fold also trains an inner model for its thresholds`,
  '',
]
/** One set's section: its title, a line about its clips, the table rows and the floor. */
interface Section {
  title: string
  info: string
  rows: string[]
  floor: string
}
const sections: Section[] = []
const resultFile = path.join(here, 'results', args.out)
const flush = (footer: string[] = []) => {
  const lines = [...header]
  for (const s of sections) {
    lines.push(
      s.title,
      '',
      s.info,
      '',
      '| Start | Variant | Mean F1 at 0.5 | Mean F1 at chosen thresholds | Collapsed fold × AU pairs at 0.5 | Minutes |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
      ...s.rows,
      s.floor,
      '',
    )
  }
  fs.mkdirSync(path.dirname(resultFile), { recursive: true })
  fs.writeFileSync(resultFile, [...lines, ...footer].join('\n') + '\n')
}

async function prepareSet(name: keyof typeof SETS) {
  const spec = SETS[name]
  const dir = path.join(work, name)
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'synthetic'),
    subjects: Number(args.subjects),
    clipsPerSubject: Number(args.clips),
    seed: spec.seed,
    format: 'casme2',
    size: Number(args.size),
    motionScale: spec.motionScale,
  })
  const libraryFile = path.join(dir, 'library.sqlite')
  const db = openLibrary(libraryFile)
  const report = await importDataset(db, {
    format: 'casme2',
    sheet: dataset.sheetPath,
    frames: dataset.framesRoot,
    dataset: name,
  })
  const ctx: JobContext<unknown> = {
    jobId: 0,
    db,
    libraryPath: libraryFile,
    frameCacheDir: `${libraryFile}.frames`,
    signal: new AbortController().signal,
    resumeState: undefined,
    progress: () => undefined,
    saveState: () => undefined,
  }
  return { dir, ctx, datasetId: report.datasetId }
}

for (const name of args.sets.split(',') as (keyof typeof SETS)[]) {
  const { dir, ctx, datasetId } = await prepareSet(name)
  const sets = new Map<number, TrainingSet>()
  const section: Section = {
    title: `## Set "${name}": ${SETS[name].label}`,
    info: '',
    rows: [],
    floor: '',
  }
  sections.push(section)
  for (const variant of VARIANTS) {
    for (const row of chosenRows) {
      const epochs = Number(row.preset === 'face' ? args['face-epochs'] : args['laptop-epochs'])
      const faceLr = row.preset === 'face' && args['face-lr'] ? Number(args['face-lr']) : undefined
      const overrides = { epochs, trainMode: row.mode, learningRate: faceLr }
      const config = resolveTrainConfig({ preset: row.preset, variant, seed: 0, overrides })
      let set = sets.get(config.resizeSize)
      if (!set) {
        set = await loadTrainingSet(ctx.db, ctx.frameCacheDir, {
          datasetIds: [datasetId],
          minPositives: 15,
          resizeSize: config.resizeSize,
        })
        sets.set(config.resizeSize, set)
      }
      log(`${name}: ${row.label} · ${variant} (${set.clips.length} clips)`)
      const t = performance.now()
      const result = await runTraining(
        trainJobInputSchema.parse({
          datasetIds: [datasetId],
          preset: row.preset,
          variant,
          folds: 4,
          seed: 0,
          overrides,
          outDir: path.join(dir, `${row.preset}-${row.mode}-${variant}`),
          finalModel: false,
          register: false,
          backend: backend.name,
        }),
        ctx,
        { backend, trainingSet: set },
      )
      const minutes = (performance.now() - t) / 60_000
      const total = result.metrics.folds * result.auList.length
      const cells = [
        row.label,
        variant === 'iicl' ? 'IICL' : 'Baseline',
        f2(result.metrics.meanF1),
        result.metricsAtThresholds ? f2(result.metricsAtThresholds.meanF1) : '–',
        `${collapsedPairs(result.metrics).length} of ${total}`,
        minutes.toFixed(1),
      ]
      section.rows.push(`| ${cells.join(' | ')} |`)
      section.info = `AUs ${result.auList.join(', ')}; ${set.clips.length} clips.`
      section.floor = `| All positive (2b / (1 + b)) | – | ${f2(result.metrics.meanAllPositiveF1)} | | | |`
      flush()
      log(`  ${cells.join(' · ')}`)
    }
  }
}
flush([`Total bench time ${((Date.now() - started) / 60_000).toFixed(1)} min.`])
log(fs.readFileSync(resultFile, 'utf8'))
fs.rmSync(work, { recursive: true, force: true })
