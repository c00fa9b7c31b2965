/**
 * What the renderer reads of training results. The engine's types (CvMetrics in
 * engine/ml/eval/cv-metrics.ts, AblationResult in engine/ml/eval/ablation-table.ts) are not
 * importable here (layering), so these mirror the fields the Train and Models screens use;
 * tests/unit/renderer/train-results.test.ts checks that the engine's values fit them.
 */

/** One AU of a cross-validation report. */
export interface AuMetricsView {
  au: string
  f1: number
  precision: number
  recall: number
  baseRate: number
  /** Positive clips of the AU (the paper's "Number" row). */
  positives: number
}

/** Pooled cross-validation metrics (engine CvMetrics; stored with a model plus `bce`). */
export interface CvMetricsView {
  folds: number
  clips: number
  auList: string[]
  meanF1: number
  perAu: AuMetricsView[]
  perFold: { fold: number; clips: number; meanF1: number }[]
  warnings: string[]
  protocol?: string
}

/** What an ml.train job answers (engine TrainingResult, the fields shown). */
export interface TrainingResultView {
  modelId: number | null
  outDir: string
  metrics: CvMetricsView
  warnings: string[]
  bce: string
  backend: string
}

/** One variant row of an ablation. */
export interface AblationRowView {
  variant: string
  f1: number[]
  meanF1: number
  warnings: string[]
}

/** What an ml.ablation job answers (engine AblationResult). */
export interface AblationResultView {
  preset: string
  folds: number
  seed: number
  epochs: number
  bce: string
  backend: string
  auList: string[]
  positives: number[]
  baseRates: number[]
  rows: AblationRowView[]
  outDir: string
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
export function isCvMetrics(value: unknown): value is CvMetricsView {
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
export function isAblationResult(value: unknown): value is AblationResultView {
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
