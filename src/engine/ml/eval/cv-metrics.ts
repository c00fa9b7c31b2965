import {
  auReport,
  poolPredictions,
  type AuReport,
  type PredictionSet,
} from '../../../shared/metrics'
import type { AuMetrics, CvMetrics } from '../../../shared/ml'
import { chooseThresholds, PAPER_THRESHOLD } from './thresholds'

/** Test predictions of one fold. */
export interface FoldPredictions {
  /** 0-based fold. */
  fold: number
  clipIds: number[]
  truth: number[][]
  scores: number[][]
  /** Per AU, the fold's decision threshold chosen on its inner split (eval/thresholds.ts). */
  thresholds?: number[]
}

function toSet(p: FoldPredictions): PredictionSet {
  return { truth: p.truth, scores: p.scores }
}

function auMetrics(report: AuReport): AuMetrics[] {
  return report.perAu.map((s) => ({
    au: s.au,
    f1: s.f1,
    precision: s.precision,
    recall: s.recall,
    baseRate: s.baseRate,
    kappa: Number.isFinite(s.kappa) ? s.kappa : null,
    positives: s.counts.tp + s.counts.fn,
    predictedPositives: s.counts.tp + s.counts.fp,
    allPositiveF1: s.allPositiveF1,
  }))
}

/** AUs of `report` for which every sample was predicted positive. */
function ausOnlyPositive(report: AuReport): string[] {
  return report.perAu.filter((s) => s.counts.tn + s.counts.fn === 0).map((s) => s.au)
}

function collapseWarnings(
  fold: number,
  none: readonly string[],
  all: readonly string[] = [],
): string[] {
  return [
    ...none.map((au) => `fold ${fold} predicts no positive for AU ${au}`),
    ...all.map((au) => `fold ${fold} predicts every clip positive for AU ${au}`),
  ]
}

/** The warnings of one fold's predictions: AUs it never, or always, predicts positive. */
export function foldWarnings(fold: FoldPredictions, auList: readonly string[]): string[] {
  if (fold.clipIds.length === 0) return []
  const report = auReport(toSet(fold), auList)
  return collapseWarnings(
    fold.fold + 1,
    report.ausWithoutPredictedPositives,
    ausOnlyPositive(report),
  )
}

/**
 * The paper's protocol: binary F1 per AU at `threshold` over the pooled predictions of all
 * folds, their mean, and per AU precision, recall, base rate and Cohen's kappa; per fold
 * its own mean F1 and the AUs it never predicted positive (with a warning for each).
 */
export function crossValidationMetrics(
  folds: readonly FoldPredictions[],
  auList: readonly string[],
  threshold = 0.5,
): CvMetrics {
  const pooled = auReport(poolPredictions(folds.map(toSet)), auList, threshold)
  const perFold = folds.map((f) => {
    const report = f.clipIds.length > 0 ? auReport(toSet(f), auList, threshold) : null
    return {
      fold: f.fold + 1,
      clips: f.clipIds.length,
      meanF1: report?.meanF1 ?? 0,
      ausWithoutPredictedPositives: report?.ausWithoutPredictedPositives ?? [],
      ausOnlyPredictedPositive: report ? ausOnlyPositive(report) : [],
    }
  })
  return {
    protocol: `subject-independent ${folds.length}-fold cross-validation; binary F1 per AU at ${threshold}, predictions of all folds pooled`,
    threshold,
    folds: folds.length,
    clips: pooled.sampleCount,
    auList: [...auList],
    meanF1: pooled.meanF1,
    meanAllPositiveF1: pooled.meanAllPositiveF1,
    perAu: auMetrics(pooled),
    perFold,
    warnings: perFold.flatMap((f) =>
      collapseWarnings(f.fold, f.ausWithoutPredictedPositives, f.ausOnlyPredictedPositive),
    ),
  }
}

/**
 * A fold's predictions turned into its decisions at its own per-AU thresholds: score 1
 * when s ≥ t of that AU, else 0, so that measures at 0.5 of the result are the measures
 * at the chosen thresholds. Folds without thresholds keep 0.5.
 */
export function decisionsAtThresholds(fold: FoldPredictions): FoldPredictions {
  const t = fold.thresholds
  return {
    ...fold,
    scores: fold.scores.map((row) => row.map((s, a) => (s >= (t?.[a] ?? 0.5) ? 1 : 0))),
  }
}

/** The thresholds a training run keeps, how they were chosen, and the metrics at them. */
export interface ChosenThresholds {
  /** Per AU, the final model's threshold. */
  thresholds: Record<string, number>
  thresholdsChosenOn: string
  /** Each fold at its own inner-split thresholds, pooled (null: no inner split). */
  metricsAtThresholds: CvMetrics | null
}

/**
 * With an inner split: each fold's predictions judged at the thresholds chosen on its
 * inner split, pooled; the final model's thresholds chosen (eval/thresholds.ts) on the
 * pooled test predictions of the folds, where every clip was scored by a model that never
 * trained on its subject. Without one: 0.5 for every AU.
 */
export function chosenThresholds(
  folds: readonly FoldPredictions[],
  auList: readonly string[],
  innerSplit: boolean,
): ChosenThresholds {
  if (!innerSplit) {
    return {
      thresholds: Object.fromEntries(auList.map((au) => [au, PAPER_THRESHOLD])),
      thresholdsChosenOn: 'none: 0.5 for every AU (no inner split)',
      metricsAtThresholds: null,
    }
  }
  const atChosen = crossValidationMetrics(folds.map(decisionsAtThresholds), auList)
  const pooled = poolPredictions(folds.map(toSet))
  const final = chooseThresholds(pooled, auList.length)
  return {
    thresholds: Object.fromEntries(auList.map((au, a) => [au, final[a]])),
    thresholdsChosenOn:
      'per AU, the F1-maximising threshold on held-out subjects: each fold on an inner split of its training folds, the final model on the pooled out-of-fold predictions',
    metricsAtThresholds: {
      ...atChosen,
      protocol: `subject-independent ${folds.length}-fold cross-validation; binary F1 per AU at each fold's thresholds chosen on subjects held out inside its training folds, predictions of all folds pooled`,
      threshold: Number.NaN,
    },
  }
}
