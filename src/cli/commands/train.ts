import path from 'node:path'
import { collapseNotice } from '../../shared/collapse'
import type { CvMetrics } from '../../shared/ml'
import { ML_JOB_KINDS, trainJobInputSchema } from '../../engine/ml/jobs/schemas'
import { requireString, type CliIo, type Command } from '../command'
import {
  datasetIdsOf,
  optionalInteger,
  stepOverrides,
  parseInput,
  runLibraryJob,
  TRAINING_RUN_OPTIONS,
} from './ml-job'

/** Prints a cross-validation report: per AU F1, precision, recall, base rate, kappa. */
export function printMetrics(io: CliIo, metrics: CvMetrics, bce: string): void {
  const f = (x: number | null) => (x === null ? '  -  ' : x.toFixed(2).padStart(5))
  io.stdout(`${metrics.protocol}\n${bce}\n`)
  io.stdout('AU     F1  prec   rec  base kappa  pos\n')
  for (const a of metrics.perAu) {
    io.stdout(
      `${a.au.padEnd(4)} ${f(a.f1)} ${f(a.precision)} ${f(a.recall)} ${f(a.baseRate)} ${f(a.kappa)} ${String(a.positives).padStart(4)}\n`,
    )
  }
  io.stdout(
    `mean F1 ${metrics.meanF1.toFixed(3)} (always-positive ${metrics.meanAllPositiveF1.toFixed(3)})\n`,
  )
  for (const w of metrics.warnings) io.stdout(`warning: ${w}\n`)
  const collapse = collapseNotice(metrics)
  if (collapse) io.stdout(`${collapse}\n`)
}

/**
 * Prints, per AU, the pooled F1 at the paper's 0.5 beside the F1 with each fold at its
 * inner-split thresholds, and the final model's threshold.
 */
export function printThresholds(
  io: CliIo,
  metrics: CvMetrics,
  atThresholds: CvMetrics | null | undefined,
  thresholds: Record<string, number> | undefined,
): void {
  if (!atThresholds) {
    io.stdout('thresholds: 0.5 for every AU (no inner split)\n')
    return
  }
  io.stdout(`\n${atThresholds.protocol}\nAU   F1@0.5 F1@chosen threshold\n`)
  for (const a of metrics.perAu) {
    const chosen = atThresholds.perAu.find((c) => c.au === a.au)
    const t = thresholds?.[a.au]
    io.stdout(
      `${a.au.padEnd(4)} ${a.f1.toFixed(2).padStart(6)} ${(chosen?.f1 ?? NaN).toFixed(2).padStart(9)} ${t === undefined ? '-' : t.toFixed(3).padStart(9)}\n`,
    )
  }
  io.stdout(
    `mean F1 at 0.5 (paper) ${metrics.meanF1.toFixed(3)}, at the chosen thresholds ${atThresholds.meanF1.toFixed(3)}\n`,
  )
}

/** `microau train`: cross-validated training of one variant, then the final model. */
export const train: Command = {
  name: 'train',
  summary: 'Train an AU model: subject-independent cross-validation, then a model on all clips',
  usage:
    '--db FILE --preset face|laptop|tiny|paper --variant baseline|intracl|intercl|iicl|cl|tl [--dataset NAME|ID,…] [--folds 4] [--epochs N] [--seed S] [--micro-batch N] [--batch-norm micro-batch|frozen] [--step-workers N] [--weights FILE.h5] [--linear-probe|--fine-tune] [--thresholds inner-split|paper] [--coder NAME] [--min-positives 15] [--backend auto|wasm|cpu] --out DIR [--json]',
  options: { ...TRAINING_RUN_OPTIONS, variant: { type: 'string' }, weights: { type: 'string' } },
  async run(values, io) {
    const db = requireString(values, 'db')
    const input = parseInput(trainJobInputSchema, {
      datasetIds: datasetIdsOf(db, values),
      preset: requireString(values, 'preset'),
      variant: requireString(values, 'variant'),
      folds: optionalInteger(values, 'folds'),
      seed: optionalInteger(values, 'seed'),
      overrides: {
        epochs: optionalInteger(values, 'epochs'),
        batchSize: optionalInteger(values, 'batch-size'),
        ...stepOverrides(values),
      },
      thresholds: values.thresholds,
      weightsFile: typeof values.weights === 'string' ? path.resolve(values.weights) : null,
      outDir: path.resolve(requireString(values, 'out')),
      coder: values.coder,
      minPositives: optionalInteger(values, 'min-positives'),
      backend: values.backend,
    })
    const job = await runLibraryJob(db, ML_JOB_KINDS.train, input, io, 'train')
    const result = job.result as {
      metrics: CvMetrics
      bce: string
      modelId: number
      outDir: string
      backend: string
      metricsAtThresholds?: CvMetrics | null
      thresholds?: Record<string, number>
    }
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else {
      printMetrics(io, result.metrics, result.bce)
      printThresholds(io, result.metrics, result.metricsAtThresholds, result.thresholds)
      io.stdout(`model ${result.modelId} saved in ${result.outDir} (backend ${result.backend})\n`)
    }
    return 0
  },
}
