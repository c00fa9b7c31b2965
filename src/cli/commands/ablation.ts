import os from 'node:os'
import path from 'node:path'
import { ablationRowLabel, type AblationResult } from '../../shared/ml'
import { formatAblationTable } from '../../engine/ml/eval/ablation-table'
import { ML_JOB_KINDS, ablationJobInputSchema } from '../../engine/ml/jobs/schemas'
import { requireString, type Command } from '../command'
import {
  datasetIdsOf,
  optionalInteger,
  stepOverrides,
  parseInput,
  runLibraryJob,
  TRAINING_RUN_OPTIONS,
} from './ml-job'

/** `microau ablation`: the paper's Table 1 for the chosen variants. */
export const ablation: Command = {
  name: 'ablation',
  summary: 'Train several variants on the same folds and seeds and print the Table 1 layout',
  usage:
    '--db FILE --preset NAME --variants baseline,intracl,intercl,iicl [--dataset NAME|ID,…] [--folds 4] [--epochs N] [--seed S] [--micro-batch N] [--batch-norm micro-batch|frozen] [--step-workers N] [--linear-probe|--fine-tune] [--thresholds inner-split|paper] [--coder NAME] [--min-positives 15] [--backend B] [--out DIR] [--json]',
  options: { ...TRAINING_RUN_OPTIONS, variants: { type: 'string' } },
  async run(values, io) {
    const db = requireString(values, 'db')
    const out =
      typeof values.out === 'string'
        ? path.resolve(values.out)
        : path.join(os.tmpdir(), `microau-ablation-${Date.now()}`)
    const input = parseInput(ablationJobInputSchema, {
      datasetIds: datasetIdsOf(db, values),
      preset: requireString(values, 'preset'),
      variants: requireString(values, 'variants')
        .split(',')
        .map((v) => v.trim()),
      folds: optionalInteger(values, 'folds'),
      seed: optionalInteger(values, 'seed'),
      overrides: {
        epochs: optionalInteger(values, 'epochs'),
        batchSize: optionalInteger(values, 'batch-size'),
        ...stepOverrides(values),
      },
      thresholds: values.thresholds,
      outDir: out,
      coder: values.coder,
      minPositives: optionalInteger(values, 'min-positives'),
      backend: values.backend,
    })
    const job = await runLibraryJob(db, ML_JOB_KINDS.ablation, input, io, 'ablation')
    const result = job.result as AblationResult
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else {
      io.stdout(
        `${result.preset}, ${result.folds}-fold subject-independent CV, ${result.epochs} epochs, seed ${result.seed}, ${result.bce}, backend ${result.backend}\n\n`,
      )
      io.stdout(formatAblationTable(result) + '\n')
      for (const row of result.rows) {
        const at = row.meanF1AtThresholds
        if (at != null) {
          io.stdout(
            `${ablationRowLabel(row)}: mean F1 ${row.meanF1.toFixed(2)} at 0.5, ${at.toFixed(2)} at thresholds chosen on an inner subject split\n`,
          )
        }
        if (row.collapse) io.stdout(`${ablationRowLabel(row)}: ${row.collapse}\n`)
      }
    }
    return 0
  },
}
