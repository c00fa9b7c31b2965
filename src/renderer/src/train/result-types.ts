import type { AblationResult, CvMetrics } from '../../../shared/ml'

/*
 * Guards for job results and stored metrics as the renderer receives them (unknown JSON):
 * the shapes are the contract's (shared/ml.ts); the engine's TrainingResult carries more
 * than the Train screen shows.
 */

/** What an ml.train job answers (engine TrainingResult, the fields shown). */
export interface TrainingResultView {
  modelId: number | null
  outDir: string
  metrics: CvMetrics
  warnings: string[]
  bce: string
  backend: string
  /** Each fold at its inner-split thresholds, pooled (absent in older results). */
  metricsAtThresholds?: CvMetrics | null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'number')
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'string')
}

/** True when `value` has the shape of pooled cross-validation metrics. */
export function isCvMetrics(value: unknown): value is CvMetrics {
  return (
    isRecord(value) &&
    typeof value.meanF1 === 'number' &&
    isStringArray(value.auList) &&
    Array.isArray(value.perAu) &&
    value.perAu.every(
      (a) =>
        isRecord(a) &&
        typeof a.au === 'string' &&
        typeof a.f1 === 'number' &&
        typeof a.baseRate === 'number' &&
        typeof a.positives === 'number',
    ) &&
    Array.isArray(value.perFold)
  )
}

/** True when `value` is an ml.train job's result. */
export function isTrainingResult(value: unknown): value is TrainingResultView {
  return isRecord(value) && isCvMetrics(value.metrics) && typeof value.outDir === 'string'
}

/** True when `value` is an ml.ablation job's result. */
export function isAblationResult(value: unknown): value is AblationResult {
  return (
    isRecord(value) &&
    isStringArray(value.auList) &&
    isNumberArray(value.positives) &&
    isNumberArray(value.baseRates) &&
    Array.isArray(value.rows) &&
    value.rows.every(
      (r) =>
        isRecord(r) &&
        typeof r.variant === 'string' &&
        isNumberArray(r.f1) &&
        typeof r.meanF1 === 'number',
    )
  )
}
