/**
 * Which feature of the face-recognition network the `face` preset's AU head should read
 * (issue #16): on synthetic sets of several seeds and motion amplitudes, the linear probe's
 * pooled mean F1 at 0.5 (4-fold subject-independent CV, seed 0; class-weighted ridge logistic
 * regression, engine/ml/head/) for candidate features of the magnified apex: the last stage
 * pooled (the paper's kind of feature), the same minus the clip's onset, and the last two or
 * three stages pooled, with and without the onset. Every row uses the same frozen network,
 * folds and head fit; only the feature differs.
 *
 * Run: npx tsx bench/face-features.bench.ts [--sets 2021:1,7:0.6,99:0.8,5:1.2] [--subjects 12]
 * [--ridge 1]. Writes bench/results/face-features.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateSyntheticDataset } from '../src/engine/datasets/synthetic/generate'
import { importDataset } from '../src/engine/datasets/import/import-dataset'
import { openLibrary } from '../src/engine/db/open-library'
import { selectBackend } from '../src/engine/ml/backend'
import { apexBatch } from '../src/engine/ml/data/batch-tensors'
import { loadTrainingSet, type TrainingClip } from '../src/engine/ml/data/training-set'
import { subjectFolds } from '../src/engine/ml/eval/subject-folds'
import { fitAuHead } from '../src/engine/ml/head/au-head-fit'
import { AuModel } from '../src/engine/ml/model/au-model'
import { MODEL_PRESETS } from '../src/engine/ml/model/presets'
import { tf } from '../src/engine/ml/tf'
import { resolveTrainConfig } from '../src/engine/ml/train/train-config'
import { loadFaceApiWeights } from '../src/engine/ml/weights/face-api-weights'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: args } = parseArgs({
  options: {
    sets: { type: 'string', default: '2021:1,7:0.6,99:0.8,5:1.2' },
    subjects: { type: 'string', default: '12' },
    ridge: { type: 'string', default: '1' },
  },
})

/** Candidate features: how many last stages are pooled, and whether the onset is subtracted. */
const CANDIDATES = [
  { stages: 1, onset: false },
  { stages: 1, onset: true },
  { stages: 2, onset: true },
  { stages: 3, onset: false },
  { stages: 3, onset: true },
] as const
const label = (c: (typeof CANDIDATES)[number]) =>
  `last ${c.stages === 1 ? 'stage' : `${c.stages} stages`} pooled${c.onset ? ' − onset' : ''}`

async function loadSet(seed: number, motionScale: number, work: string) {
  const dir = path.join(work, `${seed}-${motionScale}`)
  const dataset = await generateSyntheticDataset({
    outDir: path.join(dir, 'synthetic'),
    subjects: Number(args.subjects),
    clipsPerSubject: 8,
    seed,
    format: 'casme2',
    size: 128,
    motionScale,
  })
  const db = openLibrary(path.join(dir, 'library.sqlite'))
  const report = await importDataset(db, {
    format: 'casme2',
    sheet: dataset.sheetPath,
    frames: dataset.framesRoot,
    dataset: 'set',
  })
  const config = resolveTrainConfig({ preset: 'face', variant: 'baseline', seed: 0 })
  return loadTrainingSet(db, path.join(dir, 'library.sqlite.frames'), {
    datasetIds: [report.datasetId],
    minPositives: 15,
    resizeSize: config.resizeSize,
  })
}

/** The head input of every clip for a face model pooling `stages` stages, with or without the onset. */
async function headInputs(
  clips: readonly TrainingClip[],
  stages: number,
  onset: boolean,
): Promise<Float32Array[]> {
  const { model: config, training } = MODEL_PRESETS.face
  const model = AuModel.create(
    { ...config, featureStages: stages, headInput: onset ? 'frame-minus-onset' : 'frame' },
    ['x'],
    { seed: 0 },
  )
  await loadFaceApiWeights(model)
  const geometry = { ...training, preprocessing: config.preprocessing }
  const rows: Float32Array[] = []
  for (let start = 0; start < clips.length; start += 8) {
    const part = clips.slice(start, start + 8)
    const batch = apexBatch(part, geometry, onset)
    const options = { training: false, onsetRows: part.length }
    const x = tf.tidy(() => model.headInput(model.apply(batch.input, options).features, options))
    const d = x.shape[1]
    const values = x.dataSync() as Float32Array
    for (let i = 0; i < part.length; i++) rows.push(values.slice(i * d, (i + 1) * d))
    tf.dispose([x, batch.input, batch.labels])
  }
  model.dispose()
  return rows
}

/** Pooled mean F1 at 0.5 of the probe on `rows` over 4 subject folds (seed 0). */
function probeF1(clips: readonly TrainingClip[], rows: readonly Float32Array[]): number {
  const folds = subjectFolds(
    clips.map((c) => c.subjectKey),
    4,
    0,
  )
  const m = clips[0].labels.length
  const decided = clips.map(() => new Uint8Array(m))
  for (let f = 0; f < 4; f++) {
    const train = clips.flatMap((c, i) => (folds[c.subjectKey] === f ? [] : [i]))
    const head = fitAuHead(
      train.map((i) => rows[i]),
      train.map((i) => clips[i].labels),
      { l2: Number(args.ridge), classBalanced: true },
    )
    clips.forEach((c, i) => {
      if (folds[c.subjectKey] !== f) return
      for (let a = 0; a < m; a++) {
        let z = head.bias[a]
        for (let j = 0; j < rows[i].length; j++) z += rows[i][j] * head.kernel[j * m + a]
        decided[i][a] = z >= 0 ? 1 : 0
      }
    })
  }
  let sum = 0
  for (let a = 0; a < m; a++) {
    let tp = 0
    let wrong = 0
    clips.forEach((c, i) => {
      if (decided[i][a] && c.labels[a]) tp++
      else if (decided[i][a] || c.labels[a]) wrong++
    })
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + wrong)
  }
  return sum / m
}

const started = new Date()
const backend = await selectBackend({ prefer: 'wasm', purpose: 'inference' })
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microau-face-features-'))
const sets = args.sets.split(',').map((s) => s.split(':').map(Number) as [number, number])
const table: string[][] = CANDIDATES.map((c) => [label(c)])
for (const [seed, motion] of sets) {
  const set = await loadSet(seed, motion, work)
  for (const [k, c] of CANDIDATES.entries()) {
    const f1 = probeF1(set.clips, await headInputs(set.clips, c.stages, c.onset))
    table[k].push(f1.toFixed(2))
    process.stderr.write(`seed ${seed} ×${motion}: ${label(c)} ${f1.toFixed(3)}\n`)
  }
}
fs.rmSync(work, { recursive: true, force: true })
const lines = [
  '## Face preset: which feature the AU head reads',
  '',
  `${started.toISOString()} · ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the end · Node ${process.version} · ${backend.name} · \`npx tsx bench/face-features.bench.ts ${process.argv.slice(2).join(' ')}\``,
  '',
  `Linear probe (class-weighted ridge logistic regression, λ = ${args.ridge}) on the face network's features of each clip's magnified, centre-cropped apex; synthetic sets of ${args.subjects} subjects × 8 clips (128 px, 200 fps), one column per generator seed × motion amplitude; 4-fold subject-independent CV, seed 0; mean over AUs of the pooled binary F1 at 0.5. "− onset": minus the same feature of the clip's onset frame. The face preset reads the last row.`,
  '',
  `| Feature | ${sets.map(([s, m]) => `seed ${s}, motion ×${m}`).join(' | ')} |`,
  `| --- | ${sets.map(() => '---:').join(' | ')} |`,
  ...table.map((row) => `| ${row.join(' | ')} |`),
  '',
]
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'face-features.md'), lines.join('\n'))
process.stderr.write(lines.join('\n'))
