import fs from 'node:fs/promises'
import path from 'node:path'
import type { JobContext, JobProgress } from '../../jobs/job-kind'
import type { LossVariant } from '../losses'
import type { AblationJobInput } from '../jobs/schemas'
import {
  loadSetFor,
  prepareOutDir,
  RUN_FILES,
  runTraining,
  selectTrainingBackend,
  type CrossValidationRecord,
} from '../train/training-run'
import { bceDescription, resolveTrainConfig } from '../train/train-config'
import { planMicroBatch } from '../train/step-memory'
import type { AblationResult, AblationRow, CvMetrics } from '../../../shared/ml'
import { collapseNotice } from '../../../shared/collapse'

function rowOf(
  variant: LossVariant,
  metrics: CvMetrics,
  atThresholds: CvMetrics | null,
): AblationRow {
  return {
    variant,
    f1: metrics.perAu.map((a) => a.f1),
    meanF1: metrics.meanF1,
    warnings: metrics.warnings,
    collapse: collapseNotice(metrics),
    meanF1AtThresholds: atThresholds?.meanF1 ?? null,
  }
}

/**
 * The ml.ablation job: every variant trained and tested on the same subject folds with the
 * same seeds and data (one cross-validation per variant, in `<outDir>/<variant>`, no final
 * model), gathered into the paper's table. A resumed job keeps the variants it finished.
 */
export async function runAblation(
  input: AblationJobInput,
  ctx: JobContext<unknown>,
): Promise<AblationResult> {
  const resuming = ctx.resumeState !== undefined
  await prepareOutDir(input.outDir, resuming)
  if (!resuming) ctx.saveState({ started: true })
  const backend = await selectTrainingBackend(input.backend)
  const base = resolveTrainConfig({
    preset: input.preset,
    variant: input.variants[0],
    seed: input.seed,
    weightsFile: input.weightsFile,
    overrides: input.overrides,
  })
  // Every variant before any data is loaded (see planMicroBatch).
  for (const variant of input.variants) planMicroBatch({ ...base, variant }, backend.name)
  const set = await loadSetFor(input, base, ctx, (p) => ctx.progress(p))
  const rows: AblationRow[] = []
  const variants = [...new Set(input.variants)]
  for (const [v, variant] of variants.entries()) {
    const outDir = path.join(input.outDir, variant)
    const recordFile = path.join(outDir, RUN_FILES.crossValidation)
    let metrics: CvMetrics
    let atThresholds: CvMetrics | null
    try {
      if (!resuming) throw new Error('fresh run')
      const record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as CrossValidationRecord
      metrics = record.metrics
      atThresholds = record.metricsAtThresholds ?? null
    } catch {
      const mapProgress = (p: JobProgress): JobProgress => ({
        ...p,
        done: v * p.total + p.done,
        total: variants.length * p.total,
        message: `${variant} (${v + 1}/${variants.length}) · ${p.message ?? ''}`,
      })
      const result = await runTraining(
        { ...input, variant, outDir, finalModel: false, register: false },
        { ...ctx, resumeState: resuming ? ctx.resumeState : undefined },
        { backend, trainingSet: set, mapProgress },
      )
      metrics = result.metrics
      atThresholds = result.metricsAtThresholds
    }
    rows.push(rowOf(variant, metrics, atThresholds))
  }
  const positives = set.auList.map(
    (au) => set.clips.filter((c) => c.labels[set.auList.indexOf(au)] === 1).length,
  )
  return {
    preset: input.preset,
    folds: input.folds,
    seed: input.seed,
    epochs: base.epochs,
    bce: bceDescription(base),
    backend: backend.name,
    auList: set.auList,
    positives,
    baseRates: positives.map((p) => p / set.clips.length),
    rows,
    outDir: input.outDir,
  }
}
