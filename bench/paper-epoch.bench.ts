/**
 * The `paper` preset (SE-ResNet-50 at 224²) trained for one epoch on wasm: a 2-fold
 * cross-validation of IICL on a few synthetic clips through `runTraining`, the job the app
 * and the CLI run, with its steps of 16 clips × 3 frames cut into the micro-batches the
 * engine plans (gradient caching). Reports whether it completed, its wall time, the wasm
 * heap it reached and the micro-batch it used.
 *
 * Run: npx tsx bench/paper-epoch.bench.ts [--subjects 6] [--clips 2]. Writes
 * bench/results/paper-epoch.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateSyntheticDataset } from '../src/engine/datasets/synthetic/generate'
import { importDataset } from '../src/engine/datasets/import/import-dataset'
import { openLibrary } from '../src/engine/db/open-library'
import type { JobContext } from '../src/engine/jobs/job-kind'
import { selectBackend } from '../src/engine/ml/backend'
import { trainJobInputSchema } from '../src/engine/ml/jobs/schemas'
import { runTraining } from '../src/engine/ml/train/training-run'
import { tf } from '../src/engine/ml/tf'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    subjects: { type: 'string', default: '6' },
    clips: { type: 'string', default: '2' },
  },
})
const SUBJECTS = Number(args.subjects)
const CLIPS = Number(args.clips)
const MIB = 2 ** 20
const log = (text: string) => process.stderr.write(text + '\n')

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-paper-epoch-'))
const dataset = await generateSyntheticDataset({
  outDir: path.join(work, 'synthetic'),
  subjects: SUBJECTS,
  clipsPerSubject: CLIPS,
  seed: 2021,
  format: 'casme2',
  size: 128,
})
const libraryFile = path.join(work, 'library.sqlite')
const db = openLibrary(libraryFile)
const imported = await importDataset(db, {
  format: 'casme2',
  sheet: dataset.sheetPath,
  frames: dataset.framesRoot,
  dataset: 'synthetic demo',
})
const backend = await selectBackend({ prefer: 'wasm' })
const heapMiB = () =>
  (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length / MIB
let lastMessage = ''
/** The progress line's step layout ("steps of N clips in micro-batches of M"). */
let stepLayout = ''
const ctx: JobContext<unknown> = {
  jobId: 0,
  db,
  libraryPath: libraryFile,
  frameCacheDir: `${libraryFile}.frames`,
  signal: new AbortController().signal,
  resumeState: undefined,
  progress: (p) => {
    if (p.message && p.message !== lastMessage) log(`  ${p.done}/${p.total} ${p.message}`)
    lastMessage = p.message ?? lastMessage
    stepLayout = lastMessage.split(' · ').find((part) => part.includes('micro-batch')) ?? stepLayout
  },
  saveState: () => undefined,
}
const started = performance.now()
let outcome = 'completed'
let meanF1 = NaN
try {
  const result = await runTraining(
    trainJobInputSchema.parse({
      datasetIds: [imported.datasetId],
      preset: 'paper',
      variant: 'iicl',
      folds: 2,
      seed: 0,
      overrides: { epochs: 1 },
      outDir: path.join(work, 'model'),
      minPositives: 1,
      finalModel: false,
      register: false,
      backend: 'wasm',
    }),
    ctx,
    { backend },
  )
  meanF1 = result.metrics.meanF1
} catch (error) {
  outcome = `failed: ${error instanceof Error ? error.message : String(error)}`
}
const minutes = (performance.now() - started) / 60_000
const text = [
  '## Paper preset: one epoch on wasm',
  '',
  `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} · ` +
    `${os.availableParallelism()} logical cores (shared with other work while this ran) · ` +
    `Node ${process.version} · \`npx tsx bench/paper-epoch.bench.ts --subjects ${SUBJECTS} --clips ${CLIPS}\``,
  '',
  `IICL, \`paper\` preset from scratch (SE-ResNet-50, 224² crops of 256² frames), 2-fold ` +
    `subject-independent CV, 1 epoch, batch 16 clips × 3 frames (each fold has fewer clips, ` +
    `so one step of all its training clips), on ${SUBJECTS * CLIPS} synthetic clips, backend wasm.`,
  '',
  `| outcome | wall minutes | wasm heap MiB at the end | step layout | mean F1 |`,
  `| --- | ---: | ---: | --- | ---: |`,
  `| ${outcome} | ${minutes.toFixed(1)} | ${heapMiB().toFixed(0)} | ${stepLayout} | ${meanF1.toFixed(2)} |`,
  '',
  'The heap never shrinks, so its size at the end is the run’s high-water mark. The F1 of',
  'one epoch from scratch on a few clips means nothing; the row shows the run completes.',
  '',
].join('\n')
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'paper-epoch.md'), text)
process.stdout.write(text)
db.close()
fs.rmSync(work, { recursive: true, force: true })
