import {
  auReport,
  poolPredictions,
  type AuReport,
  type PredictionSet,
} from '../../../shared/metrics'
import type { AuMetrics, CvMetrics } from '../../../shared/ml'

/** Test predictions of one fold. */
export interface FoldPredictions {
  /** 0-based fold. */
  fold: number
  clipIds: number[]
  truth: number[][]
  scores: number[][]
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

/** The warnings of one fold's predictions: AUs it never predicts positive. */
export function foldWarnings(fold: FoldPredictions, auList: readonly string[]): string[] {
  if (fold.clipIds.length === 0) return []
  return auReport(toSet(fold), auList).ausWithoutPredictedPositives.map(
    (au) => `fold ${fold.fold + 1} predicts no positive for AU ${au}`,
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
      f.ausWithoutPredictedPositives.map(
        (au) => `fold ${f.fold} predicts no positive for AU ${au}`,
      ),
    ),
  }
}
