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
import { bceDescription, resolveTrainConfig, startsPretrained } from '../train/train-config'
import { planMicroBatch } from '../train/step-memory'
import type { AblationResult, AblationRow, CvMetrics } from '../../../shared/ml'
import { collapseNotice } from '../../../shared/collapse'

function rowOf(
  variant: LossVariant,
  metrics: CvMetrics,
  atThresholds: CvMetrics | null,
  linearProbe: boolean,
): AblationRow {
  return {
    variant,
    linearProbe,
    f1: metrics.perAu.map((a) => a.f1),
    meanF1: metrics.meanF1,
    warnings: metrics.warnings,
    collapse: collapseNotice(metrics),
    meanF1AtThresholds: atThresholds?.meanF1 ?? null,
  }
}

/** One row of the table: a variant fine-tuned, or the linear probe. */
interface AblationRun {
  variant: LossVariant
  linearProbe: boolean
  /** Sub-folder of the ablation's folder. */
  folder: string
}

/**
 * The runs of an ablation. A pretrained start adds the linear probe as its first row (its
 * head sees frozen features, which no contrastive term changes, so one probe stands for
 * every variant) before the fine-tuned variants, so the table shows at once whether
 * fine-tuning helped; an ablation asked to be a linear probe is that one row.
 */
function ablationRuns(
  variants: readonly LossVariant[],
  probe: 'add' | 'only' | 'none',
): AblationRun[] {
  const probeRun = { variant: variants[0], linearProbe: true, folder: 'linear-probe' }
  if (probe === 'only') return [probeRun]
  const fineTuned = [...new Set(variants)].map((variant) => ({
    variant,
    linearProbe: false,
    folder: variant,
  }))
  return probe === 'add' ? [probeRun, ...fineTuned] : fineTuned
}

/**
 * The ml.ablation job: every variant trained and tested on the same subject folds with the
 * same seeds and data (one cross-validation per variant, in `<outDir>/<variant>`, no final
 * model), gathered into the paper's table, with the linear probe's row (`<outDir>/linear-probe`)
 * first for a pretrained start (ablationRuns). A resumed job keeps the variants it finished.
 */
export async function runAblation(
  input: AblationJobInput,
  ctx: JobContext<unknown>,
): Promise<AblationResult> {
  const resuming = ctx.resumeState !== undefined
  await prepareOutDir(input.outDir, resuming)
  if (!resuming) ctx.saveState({ started: true })
  const backend = await selectTrainingBackend(input.backend)
  // Variants differ only when fine-tuned: an ablation fine-tunes them (whatever the preset's
  // default) unless the caller asked for a linear probe, which is then its one row.
  const probeOnly = input.overrides.trainMode === 'linear-probe'
  const base = resolveTrainConfig({
    preset: input.preset,
    variant: input.variants[0],
    seed: input.seed,
    weightsFile: input.weightsFile,
    overrides: { ...input.overrides, trainMode: probeOnly ? 'linear-probe' : 'fine-tune' },
  })
  // Every variant before any data is loaded (see planMicroBatch).
  for (const variant of input.variants) planMicroBatch({ ...base, variant }, backend.name)
  const set = await loadSetFor(input, base, ctx, (p) => ctx.progress(p))
  const rows: AblationRow[] = []
  const probe = probeOnly ? 'only' : startsPretrained(base) ? 'add' : 'none'
  const runs = ablationRuns(input.variants, probe)
  for (const [v, { variant, linearProbe, folder }] of runs.entries()) {
    const outDir = path.join(input.outDir, folder)
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
        total: runs.length * p.total,
        message: `${linearProbe ? 'linear probe' : variant} (${v + 1}/${runs.length}) · ${p.message ?? ''}`,
      })
      const overrides = {
        ...input.overrides,
        trainMode: linearProbe ? ('linear-probe' as const) : ('fine-tune' as const),
      }
      const result = await runTraining(
        { ...input, variant, overrides, outDir, finalModel: false, register: false },
        { ...ctx, resumeState: resuming ? ctx.resumeState : undefined },
        { backend, trainingSet: set, mapProgress },
      )
      metrics = result.metrics
      atThresholds = result.metricsAtThresholds
    }
    rows.push(rowOf(variant, metrics, atThresholds, linearProbe))
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
