import path from 'node:path'
import type { EvaluationResult } from '../../engine/ml/eval/evaluate-model'
import { ML_JOB_KINDS, evaluateJobInputSchema } from '../../engine/ml/jobs/schemas'
import { requireString, type Command } from '../command'
import { parseInput, runLibraryJob } from './ml-job'
import { printMetrics } from './train'

/** `microau eval`: re-tests a trained model's fold models on the library's labels. */
export const evaluate: Command = {
  name: 'eval',
  summary: "Re-evaluate a trained model's cross-validation on the library's current labels",
  usage: '--db FILE --model DIR [--backend auto|wasm|cpu] [--json]',
  options: {
    db: { type: 'string' },
    model: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const db = requireString(values, 'db')
    const input = parseInput(evaluateJobInputSchema, {
      modelDir: path.resolve(requireString(values, 'model')),
      backend: values.backend,
    })
    const job = await runLibraryJob(db, ML_JOB_KINDS.evaluate, input, io, 'eval')
    const result = job.result as EvaluationResult
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else {
      printMetrics(io, result.metrics, result.bce)
      if (result.unassignedClips > 0) {
        io.stdout(
          `${result.unassignedClips} clips of subjects the folds do not know were left out\n`,
        )
      }
    }
    return 0
  },
}
