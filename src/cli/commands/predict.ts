import path from 'node:path'
import { ML_JOB_KINDS, predictJobInputSchema } from '../../engine/ml/jobs/schemas'
import type { ClipPrediction } from '../../engine/ml/infer/predict-dataset'
import { requireString, UsageError, type CliIo, type Command } from '../command'
import { datasetIdOf, parseInput, runLibraryJob } from './ml-job'

function printPredictions(
  io: CliIo,
  auList: readonly string[],
  predictions: readonly ClipPrediction[],
): void {
  io.stdout(`clip${' '.repeat(20)}apex  ${auList.map((au) => `AU${au}`.padStart(6)).join('')}\n`)
  for (const p of predictions) {
    const name = `${p.subject}/${p.name}`.slice(0, 22).padEnd(22)
    const apex = `${p.frame}${p.apexEstimated ? '*' : ' '}`.padStart(6)
    io.stdout(
      `${name}${apex}  ${auList.map((au) => p.probabilities[au].toFixed(2).padStart(6)).join('')}\n`,
    )
  }
  if (predictions.some((p) => p.apexEstimated)) io.stdout('* apex spotted (the clip had none)\n')
}

/**
 * Each clip of --in read from disk in two streaming passes (apex spotted, then magnified up
 * to it) and predicted.
 */
async function predictFiles(modelDir: string, input: string, backend: string) {
  const { selectBackend } = await import('../../engine/ml/backend')
  const { loadAuModel } = await import('../../engine/ml/weights/tfjs-format')
  const { findClipFiles, clipFileFrames, clipFileRate } =
    await import('../../engine/ml/infer/clip-files')
  const { clipViews, explainView, magnifiedApex } =
    await import('../../engine/ml/infer/explain-clip')
  const { modelGeometry } = await import('../../engine/ml/model-geometry')
  // One wasm thread: a pthreads pool would keep the CLI process alive after the answer.
  await selectBackend({ prefer: backend as 'auto', purpose: 'inference', wasmThreads: 1 })
  const { model, sidecar } = await loadAuModel(modelDir)
  try {
    const geometry = modelGeometry(sidecar)
    const predictions: ClipPrediction[] = []
    for (const file of await findClipFiles(input)) {
      const fps = await clipFileRate(file)
      const apex = await magnifiedApex(() => clipFileFrames(file), file.path, { fps })
      const { probabilities } = explainView(model, clipViews(apex, geometry), geometry, [])
      predictions.push({
        clipId: 0,
        subject: path.basename(path.dirname(file.path)),
        name: file.name,
        frame: apex.apex,
        apexEstimated: true,
        probabilities: Object.fromEntries(model.auList.map((au, m) => [au, probabilities[m]])),
      })
    }
    return { auList: [...model.auList], predictions }
  } finally {
    model.dispose()
  }
}

/** `microau predict`: AU probabilities of a dataset's clips (stored) or of files on disk. */
export const predict: Command = {
  name: 'predict',
  summary:
    'Predict AU probabilities from apex frames (a library dataset, or videos / a frame folder)',
  usage:
    '--model DIR (--db FILE [--dataset NAME] | --in VIDEO_OR_DIR) [--backend auto|wasm|cpu] [--json]',
  options: {
    model: { type: 'string' },
    db: { type: 'string' },
    dataset: { type: 'string' },
    in: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const modelDir = path.resolve(requireString(values, 'model'))
    const backend = typeof values.backend === 'string' ? values.backend : 'auto'
    let result: { auList: string[]; predictions: ClipPrediction[]; modelId?: number }
    if (typeof values.in === 'string') {
      if (values.db !== undefined) throw new UsageError('give either --db or --in, not both')
      result = await predictFiles(modelDir, values.in, backend)
    } else if (typeof values.db === 'string') {
      const input = parseInput(predictJobInputSchema, {
        modelDir,
        datasetId: datasetIdOf(values.db, values),
        backend,
      })
      const job = await runLibraryJob(values.db, ML_JOB_KINDS.predict, input, io, 'predict')
      result = job.result as typeof result
    } else {
      throw new UsageError('--db FILE or --in VIDEO_OR_DIR is required')
    }
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else printPredictions(io, result.auList, result.predictions)
    return 0
  },
}
